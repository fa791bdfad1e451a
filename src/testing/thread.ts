/**
 * The test server in a worker thread of its own, for testing code that uses the sync API (`client.sync`,
 * `requestSync`). A sync call blocks its thread until the reply comes, so a server run by that same thread could
 * never answer (the sync API refuses such a call with a `ConfigError`). Here the server runs in another thread, and
 * the calling thread controls it by messages: every control method returns a promise.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { UserInfo } from '../../generated/types.js';
import { startWorker, workerUrl } from '../sync/host.js';
import type {
  PortableError,
  ThreadCommand,
  ThreadData,
  ThreadMessage,
  ThreadOp,
} from './thread-protocol.js';
import type { NewUser, StoredApiKey, StoredSession } from './authnzerver.js';
import type { Fault, ReceivedRequest } from './protocol-server.js';
import type { TestServerThreadOptions } from './thread-options.js';

export type { TestServerThreadOptions } from './thread-options.js';

/** The in-memory authnzerver of a {@link TestServerThread}, by message: seed users, read users, sessions and keys. */
export interface ThreadAuthnzerver {
  /** The superuser's email address and password (user 1). */
  readonly admin: { readonly email: string; readonly password: string };
  /** `InMemoryAuthnzerver.addUser`: adds a user, verified and active unless said otherwise. Rejects when taken. */
  addUser(user: NewUser): Promise<UserInfo>;
  /** Every user, as `user-list` returns them. */
  listUsers(): Promise<UserInfo[]>;
  /** One user by id or email address; undefined when there is none. */
  findUser(idOrEmail: number | string): Promise<UserInfo | undefined>;
  /** Every stored session, expired ones included. */
  listSessions(): Promise<StoredSession[]>;
  /** Every stored API key, without tokens. */
  listApiKeys(): Promise<StoredApiKey[]>;
  /** Locks the account with this email, as repeated failed log-ins do; whether there was such a user. */
  lockOut(email: string, unlockAfterSeconds: number): Promise<boolean>;
}

/**
 * A test server running in a thread of its own ({@link startTestServerThread}). The address and key are known at
 * once; everything else is asked of the thread by message, so each method returns a promise. Call them between
 * sync calls (while a sync call runs, the calling thread is blocked).
 */
export interface TestServerThread {
  /** `http://127.0.0.1:<port>/` (`https://` with `tls`). */
  readonly url: string;
  readonly port: number;
  /** The server's Fernet key now: the first of its set. */
  readonly secret: string;
  /** The keys the server decrypts with now, in order. */
  readonly secrets: readonly string[];
  /** The in-memory authnzerver; undefined with `authnzerver: false`. */
  readonly authnzerver: ThreadAuthnzerver | undefined;
  /** A copy of every request received and decrypted so far, in order (`server.received`). */
  received(): Promise<ReceivedRequest[]>;
  /** How many HTTP requests arrived, how many got 401 for a key, and how many connections were accepted. */
  stats(): Promise<{ hits: number; refused: number; connections: number }>;
  /** Changes the server's key (or set of keys), as `server.setSecret`. */
  setSecret(secret: string | readonly string[]): Promise<void>;
  /** Queues a fault for the next requests, as `server.fault`. */
  fault(fault: Fault, times?: number): Promise<void>;
  /** How many queued faults no request or connection has taken yet. */
  pendingFaults(): Promise<number>;
  /** Drops every queued fault. */
  clearFaults(): Promise<void>;
  /** Resolves once no request is being answered, as `server.idle`. */
  idle(): Promise<void>;
  /** Forgets the rate-limit counters and the failed-login counts. */
  resetLimits(): Promise<void>;
  /** Closes the server and ends its thread. Idempotent. */
  close(): Promise<void>;
}

const DATA_OPTIONS: ReadonlySet<string> = new Set([
  'secret',
  'port',
  'authnzerver',
  'rateLimits',
  'loginBackoff',
  'allowedHosts',
  'tls',
]);

/** The options of `createTestServer` that hold functions, which no message can carry. */
const FUNCTION_OPTIONS: Readonly<Record<string, string>> = {
  handlers: 'handlers are functions',
  now: 'a clock is a function (the thread runs on the system clock)',
  specs: "a custom catalogue's specs hold its schemas, which are functions",
};

/** How many single-character edits turn `a` into `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** Checks the options before any thread starts. @throws {TypeError} naming the option. */
function checkOptions(options: unknown): asserts options is TestServerThreadOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError('startTestServerThread: the options must be an object');
  for (const key of Object.keys(options)) {
    const why = FUNCTION_OPTIONS[key];
    if (why !== undefined) {
      throw new TypeError(
        `startTestServerThread: the option ${key} cannot go to another thread (${why}); ` +
          'use createTestServer in a thread of your own for it',
      );
    }
    if (!DATA_OPTIONS.has(key)) {
      const near = [...DATA_OPTIONS].find((known) => distance(key, known) <= 2);
      throw new TypeError(
        `startTestServerThread: unknown option ${key}${near === undefined ? '' : ` (did you mean ${near}?)`}`,
      );
    }
  }
  const memory = (options as { authnzerver?: unknown }).authnzerver;
  if (typeof memory === 'object' && memory !== null && 'now' in memory) {
    throw new TypeError(
      `startTestServerThread: the option authnzerver.now cannot go to another thread (${FUNCTION_OPTIONS.now})`,
    );
  }
}

/** An error from the thread, as an `Error` of this one. */
function errorOf(portable: PortableError): Error {
  const error = new Error(portable.message);
  error.name = portable.name;
  return error;
}

/** The thread's module: next to this one and of the same kind (`.ts` source, `.js`, or the CommonJS `.cjs`). */
function threadEntry(): URL {
  const self = import.meta.url;
  return workerUrl(new URL(`./thread-worker${self.slice(self.lastIndexOf('.'))}`, self));
}

/** Waits for the thread's first message: the server's address, or why it did not start. */
function started(
  worker: Worker,
  port: MessagePort,
): Promise<Extract<ThreadMessage, { ready: unknown }>['ready']> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      port.off('message', onMessage);
      worker.off('error', reject);
      worker.off('exit', onExit);
    };
    const onMessage = (message: ThreadMessage): void => {
      done();
      if ('ready' in message) resolve(message.ready);
      else if ('failed' in message) reject(errorOf(message.failed));
    };
    const onExit = (code: number): void => {
      done();
      reject(
        new Error(`the test server thread ended (exit code ${code}) before its server started`),
      );
    };
    port.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', onExit);
  });
}

/**
 * Starts a test server (`createTestServer`, with the in-memory authnzerver) in a worker thread of its own, for
 * tests of code that uses the sync API: a sync call blocks the calling thread, so the server it calls must run
 * in another one. The server is the same as `createTestServer`'s, with the options that are data.
 *
 * @param options see {@link TestServerThreadOptions}.
 * @returns the running server's address and key, and its control methods; `close()` it when done.
 * @throws {TypeError} for an option that holds a function (`handlers`, `now`, `specs`) or that is unknown.
 *
 * @example
 * import { Authnzerver } from 'authnzerver';
 * import { startTestServerThread } from 'authnzerver/testing';
 *
 * const server = await startTestServerThread({ loginBackoff: { scale: 0 } });
 * await server.authnzerver?.addUser({ email: 'ada@example.com', password: 'Correct-Horse-Battery-9' });
 * const client = new Authnzerver({ url: server.url, secret: server.secret });
 * const session = client.sync.sessionNew({ ..., expires: new Date(Date.now() + 3_600_000) }); // no await
 * console.log((await server.received()).map((r) => r.type)); // ['session-new']
 * await client.close();
 * await server.close();
 */
export async function startTestServerThread(
  options: TestServerThreadOptions = {},
): Promise<TestServerThread> {
  checkOptions(options);
  const { port1, port2 } = new MessageChannel();
  const data: ThreadData = { port: port2, options };
  const worker = startWorker(threadEntry(), data, port2);
  let ready: Awaited<ReturnType<typeof started>>;
  try {
    ready = await started(worker, port1);
  } catch (error) {
    port1.close();
    await worker.terminate();
    throw error;
  }

  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  let ended: Error | undefined;
  const end = (error: Error): void => {
    ended ??= error;
    for (const call of pending.values()) call.reject(ended);
    pending.clear();
  };
  port1.on('message', (message: ThreadMessage) => {
    if (!('id' in message)) return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(errorOf(message.error));
  });
  worker.on('error', end);
  worker.on('exit', (code) => {
    end(new Error(`the test server thread has ended (exit code ${code})`));
  });

  const ask = <T>(op: ThreadOp, ...args: unknown[]): Promise<T> => {
    if (ended !== undefined) return Promise.reject(ended);
    const id = ++next;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      port1.postMessage({ id, op, args } satisfies ThreadCommand);
    });
  };

  let secrets = ready.secrets;
  let closing: Promise<void> | undefined;
  const admin = ready.admin;
  return {
    url: ready.url,
    port: ready.port,
    get secret() {
      return secrets[0] as string;
    },
    get secrets() {
      return secrets;
    },
    authnzerver:
      admin === undefined
        ? undefined
        : {
            admin,
            addUser: (user) => ask('addUser', user),
            listUsers: () => ask('listUsers'),
            findUser: (idOrEmail) => ask('findUser', idOrEmail),
            listSessions: () => ask('listSessions'),
            listApiKeys: () => ask('listApiKeys'),
            lockOut: (email, unlockAfterSeconds) => ask('lockOut', email, unlockAfterSeconds),
          },
    received: () => ask('received'),
    stats: () => ask('stats'),
    async setSecret(secret) {
      secrets = await ask<readonly string[]>('setSecret', secret);
    },
    fault: (fault, times = 1) => ask('fault', fault, times),
    pendingFaults: () => ask('pendingFaults'),
    clearFaults: () => ask('clearFaults'),
    idle: () => ask('idle'),
    resetLimits: () => ask('resetLimits'),
    close() {
      closing ??= (async () => {
        try {
          await ask('close');
        } catch {
          // The thread had ended already.
        }
        port1.close();
        await worker.terminate();
      })();
      return closing;
    },
  };
}
