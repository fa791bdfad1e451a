/**
 * Recipe: the web layer's store on Cloudflare Workers. `durableObjectStore(namespace)` keeps every key in a
 * Durable Object (`AuthStoreObject`, one object per key), so `increment` is atomic across every Worker isolate
 * and location: it is the store for `createWebAuth({ store })`. `kvStore(namespace)` keeps values (not counters)
 * in Workers KV, for an app's own data that may be stale for a minute.
 *
 * Why counters need the Durable Object, plainly:
 * - Workers KV is eventually consistent. A write is seen at once where it was made, and elsewhere up to 60 s or
 *   more later. Two isolates that read, add 1 and write back lose counts, so `N` allowed requests become many
 *   more.
 * - KV allows about one write per second to a key, and its `expirationTtl` is at least 60 s.
 * - A Durable Object runs one instance at a time for its id. While it awaits its own storage, no other request
 *   is delivered to it (its input gate), so a read and a write with nothing else awaited between them are
 *   atomic. That is the increment here.
 *
 * Types: the interfaces below are the few members of `@cloudflare/workers-types` (or `wrangler types`) that the
 * recipe uses, so that it compiles without them. With those types installed, delete them and import the real
 * ones; the real bindings fit these interfaces as they are.
 *
 * @example
 * // worker.ts
 * export { AuthStoreObject } from './store';
 * const store = durableObjectStore(env.AUTH_STORE, { whenDown: 'closed' });
 * const auth = createWebAuth({ client, origin, store });
 */
import type { AuthStore, Counted } from 'authnzerver/web';

/** The Durable Object namespace binding (`env.AUTH_STORE`), as the store uses it. */
export interface DurableObjectNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): DurableObjectStub;
}

/** A Durable Object's id. */
export interface DurableObjectId {
  toString(): string;
}

/** A Durable Object's stub: `fetch` reaches its `fetch` handler. */
export interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}

/** A Durable Object's transactional storage, as the object uses it. */
export interface DurableObjectStorage {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  list<T>(): Promise<Map<string, T>>;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
}

/** What a Durable Object's constructor is given. */
export interface DurableObjectState {
  readonly storage: DurableObjectStorage;
}

/** The Workers KV namespace binding (`env.AUTH_KV`), as the KV store uses it. */
export interface KVNamespace {
  getWithMetadata(key: string, type: 'text'): Promise<{ value: string | null; metadata: unknown }>;
  put(
    key: string,
    value: string,
    options: { expirationTtl: number; metadata: unknown },
  ): Promise<void>;
  delete(key: string): Promise<void>;
}

/** One key in the object's storage: its value (a counter is a number) and when it expires (epoch ms). */
interface Entry {
  readonly value: number | string;
  readonly expires: number;
}

/** One command to the object. */
type Command =
  | { readonly op: 'increment'; readonly key: string; readonly ttlMs: number }
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'set'; readonly key: string; readonly value: string; readonly ttlMs: number }
  | { readonly op: 'delete'; readonly key: string };

/** The command in a request's JSON body, or undefined when it is not one. */
function commandOf(body: unknown): Command | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { op, key, ttlMs, value } = body as Record<string, unknown>;
  if (typeof key !== 'string') return undefined;
  const ttlOk = typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0;
  if (op === 'increment' && ttlOk) return { op, key, ttlMs };
  if (op === 'set' && ttlOk && typeof value === 'string') return { op, key, value, ttlMs };
  if (op === 'get' || op === 'delete') return { op, key };
  return undefined;
}

/**
 * The Durable Object that holds the store's keys. Export it from the Worker's main module and bind it (see
 * docs/recipes.md for the `wrangler.jsonc` lines). Each key expires at its stored expiry time, which every read
 * checks; an alarm at the earliest expiry deletes expired keys, so storage does not grow.
 */
export class AuthStoreObject {
  private readonly storage: DurableObjectStorage;

  constructor(state: DurableObjectState) {
    this.storage = state.storage;
  }

  /** Runs one command (a JSON body) and answers it as JSON. */
  async fetch(request: Request): Promise<Response> {
    const command = commandOf(await request.json().catch(() => undefined));
    if (command === undefined) return new Response('not a store command', { status: 400 });
    // From here to the answer, only this object's storage is awaited: no other request runs in between.
    const now = Date.now();
    const entry = await this.live(command.key, now);
    switch (command.op) {
      case 'get':
        return Response.json({ value: entry === undefined ? null : String(entry.value) });
      case 'delete':
        await this.storage.delete(command.key);
        return Response.json({});
      case 'set':
        await this.put(command.key, { value: command.value, expires: now + command.ttlMs });
        return Response.json({});
      case 'increment': {
        // A value that is not a number counts from 0, as memoryStore does; the layer never mixes them on a key.
        const before = entry === undefined ? 0 : Number(entry.value);
        const value = (Number.isFinite(before) ? before : 0) + 1;
        const expires = entry === undefined ? now + command.ttlMs : entry.expires;
        await this.put(command.key, { value, expires });
        const counted: Counted = { value, ttlMs: expires - now };
        return Response.json(counted);
      }
    }
  }

  /** Deletes the expired keys, and sets the next alarm at the earliest expiry left. */
  async alarm(): Promise<void> {
    const now = Date.now();
    let next = Infinity;
    for (const [key, entry] of await this.storage.list<Entry>()) {
      if (entry.expires <= now) await this.storage.delete(key);
      else next = Math.min(next, entry.expires);
    }
    if (next !== Infinity) await this.storage.setAlarm(next);
  }

  /** The entry under `key`, or undefined when there is none or it has expired. */
  private async live(key: string, now: number): Promise<Entry | undefined> {
    const entry = await this.storage.get<Entry>(key);
    return entry !== undefined && entry.expires > now ? entry : undefined;
  }

  /** Stores `entry`, and brings the alarm forward to its expiry when it is earlier. */
  private async put(key: string, entry: Entry): Promise<void> {
    await this.storage.put(key, entry);
    const alarm = await this.storage.getAlarm();
    if (alarm === null || alarm > entry.expires) await this.storage.setAlarm(entry.expires);
  }
}

/** Options of {@link durableObjectStore}. */
export interface DurableObjectStoreOptions {
  /**
   * Required: what the web layer does when the object fails or answers after `timeoutMs`. `'closed'` refuses
   * the request with 503 (limits stay strict); `'open'` lets it through unchecked and logs a warning.
   */
  readonly whenDown: 'closed' | 'open';
  /** Prefix of every object's name, to share one namespace between apps. Default `authnzerver:`. */
  readonly prefix?: string | undefined;
  /** The deadline of one call to the object, in milliseconds. Default 1000. */
  readonly timeoutMs?: number | undefined;
}

const OPTION_KEYS: readonly string[] = ['whenDown', 'prefix', 'timeoutMs'];

/** The work, or a rejection once it has taken longer than `ms`. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the store's Durable Object did not answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * The web layer's store in Durable Objects: one `AuthStoreObject` per key (named `prefix + key`), so each key's
 * commands run one at a time wherever the Worker runs, and different keys never wait for each other.
 *
 * @throws {Error} naming the option: an unknown one, `whenDown` missing, a `prefix` that is not a string, or a
 *   `timeoutMs` that is not a number > 0.
 */
export function durableObjectStore(
  namespace: DurableObjectNamespace,
  options: DurableObjectStoreOptions,
): AuthStore {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      const near = OPTION_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      const hint =
        near === undefined
          ? `the options are ${OPTION_KEYS.join(', ')}`
          : `did you mean \`${near}\`?`;
      throw new Error(`durableObjectStore: unknown option \`${key}\` (${hint})`);
    }
  }
  const whenDown = options.whenDown as unknown;
  if (whenDown !== 'closed' && whenDown !== 'open') {
    throw new Error(
      "durableObjectStore: `whenDown` must be 'closed' (refuse with 503 when the store fails) or 'open' (let requests through, unchecked)",
    );
  }
  const prefix = options.prefix ?? 'authnzerver:';
  const timeoutMs = options.timeoutMs ?? 1000;
  if (typeof prefix !== 'string') throw new Error('durableObjectStore: `prefix` must be a string');
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error('durableObjectStore: `timeoutMs` must be a number > 0');
  }
  const send = async (command: Command): Promise<unknown> => {
    const stub = namespace.get(namespace.idFromName(`${prefix}${command.key}`));
    const request = new Request('https://auth-store/', {
      method: 'POST',
      body: JSON.stringify(command),
    });
    const response = await withDeadline(stub.fetch(request), timeoutMs);
    if (!response.ok) throw new Error(`the store's Durable Object answered ${response.status}`);
    return response.json();
  };
  return {
    whenDown,
    async increment(key, ttlMs) {
      const reply = (await send({ op: 'increment', key, ttlMs })) as Partial<Counted>;
      if (typeof reply.value !== 'number' || typeof reply.ttlMs !== 'number') {
        throw new Error(
          "the store's Durable Object answered the increment with an unexpected reply",
        );
      }
      return { value: reply.value, ttlMs: reply.ttlMs };
    },
    async get(key) {
      const reply = (await send({ op: 'get', key })) as { value?: unknown };
      return typeof reply.value === 'string' ? reply.value : undefined;
    },
    async set(key, value, ttlMs) {
      await send({ op: 'set', key, value, ttlMs });
    },
    async delete(key) {
      await send({ op: 'delete', key });
    },
  };
}

/** Values in Workers KV: get, set with a time to live, delete. No counters (see the module's comment). */
export interface KvStore {
  /** The value under `key`, or undefined when there is none, it expired, or this location has not seen it yet. */
  get(key: string): Promise<string | undefined>;
  /** Puts `value` under `key` for `ttlMs` milliseconds. Other locations may read the old value for about 60 s. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes `key`. Other locations may still read it for about 60 s. */
  delete(key: string): Promise<void>;
}

/** KV's shortest `expirationTtl`, in seconds. */
const KV_MIN_TTL_SECONDS = 60;

/**
 * Values in Workers KV, with the expiry time kept in each key's metadata, so a value set for less than KV's
 * 60-second minimum reads as gone on time (KV deletes it later). It has no `increment`, on purpose: it is not an
 * `AuthStore`, so TypeScript refuses it as `createWebAuth`'s `store`.
 */
export function kvStore(namespace: KVNamespace, options: { prefix?: string } = {}): KvStore {
  const prefix = options.prefix ?? 'authnzerver:';
  return {
    async get(key) {
      const { value, metadata } = await namespace.getWithMetadata(`${prefix}${key}`, 'text');
      if (value === null) return undefined;
      const expires = (metadata as { expires?: unknown } | null)?.expires;
      return typeof expires === 'number' && expires <= Date.now() ? undefined : value;
    },
    async set(key, value, ttlMs) {
      const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlMs / 1000));
      await namespace.put(`${prefix}${key}`, value, {
        expirationTtl,
        metadata: { expires: Date.now() + ttlMs },
      });
    },
    async delete(key) {
      await namespace.delete(`${prefix}${key}`);
    },
  };
}
