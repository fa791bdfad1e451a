/**
 * The Worker that test/recipes/workers.test.ts runs in workerd: the recipe's Worker (examples/recipes/workers/
 * worker.ts) as it is, plus `/probe/…` routes that call the recipe's stores from inside the runtime. The
 * `ProbedStoreObject` is the recipe's object with one read-only route more, `/keys`, which lists what its storage
 * holds, to see the alarm delete expired keys.
 */
import worker, { type Env, type ExecutionContext } from '../../examples/recipes/workers/worker.js';
import {
  AuthStoreObject,
  durableObjectStore,
  kvStore,
  type DurableObjectNamespace,
  type DurableObjectState,
  type KVNamespace,
} from '../../examples/recipes/workers/store.js';

export { AuthStoreObject };

/** The recipe's object, which also lists the keys in its storage at `/keys`. */
export class ProbedStoreObject extends AuthStoreObject {
  private readonly state: DurableObjectState;

  constructor(state: DurableObjectState) {
    super(state);
    this.state = state;
  }

  override async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname !== '/keys') return super.fetch(request);
    return Response.json([...(await this.state.storage.list()).keys()]);
  }
}

/** The bindings of the probe: the recipe's, a KV namespace and the probed objects' namespace. */
export interface ProbeEnv extends Env {
  readonly AUTH_KV: KVNamespace;
  readonly PROBED_STORE: DurableObjectNamespace;
}

/** Generous: the test's limits are its own, and a busy machine must not fail a call. */
const TIMEOUT_MS = 60_000;

async function probe(url: URL, env: ProbeEnv): Promise<Response> {
  const q = (name: string): string => url.searchParams.get(name) ?? '';
  const key = q('key');
  const ttlMs = Number(q('ttlMs') || '60000');
  const namespace = q('store') === 'probed' ? env.PROBED_STORE : env.AUTH_STORE;
  const store = durableObjectStore(namespace, { whenDown: 'closed', timeoutMs: TIMEOUT_MS });
  const kv = kvStore(env.AUTH_KV);
  switch (url.pathname) {
    case '/probe/increment':
      return Response.json(await store.increment(key, ttlMs));
    case '/probe/get':
      return Response.json({ value: (await store.get(key)) ?? null });
    case '/probe/set':
      await store.set(key, q('value'), ttlMs);
      return Response.json({});
    case '/probe/delete':
      await store.delete(key);
      return Response.json({});
    case '/probe/keys': {
      const stub = env.PROBED_STORE.get(env.PROBED_STORE.idFromName(`authnzerver:${key}`));
      return stub.fetch(new Request('https://auth-store/keys'));
    }
    case '/probe/kv/get':
      return Response.json({ value: (await kv.get(key)) ?? null });
    case '/probe/kv/set':
      await kv.set(key, q('value'), ttlMs);
      return Response.json({});
    case '/probe/kv/delete':
      await kv.delete(key);
      return Response.json({});
    case '/probe/kv/increment': {
      // What a counter on KV would be: read, add 1, write back. It is not atomic (and not in the recipe).
      const value = Number((await kv.get(key)) ?? '0') + 1;
      await kv.set(key, String(value), ttlMs);
      return Response.json({ value });
    }
    default:
      return new Response('no such probe', { status: 404 });
  }
}

export default {
  fetch(request: Request, env: ProbeEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    return url.pathname.startsWith('/probe/') ? probe(url, env) : worker.fetch(request, env, ctx);
  },
};
