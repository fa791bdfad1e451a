/**
 * The store: what the web layer keeps between requests (today the request windows of `limitRequests`), behind a
 * small interface, so that several app instances, or serverless functions with no memory between requests, can
 * share it. `memoryStore()` is the default and keeps it in this process; `redisStore()` (redis-store.ts) shares it
 * through the app's own Redis client.
 */

/** A counter after one increment: its value, and the milliseconds until it expires. */
export interface Counted {
  readonly value: number;
  readonly ttlMs: number;
}

/**
 * Where the web layer keeps state between requests. Keys are short ASCII strings the layer makes; values are
 * never secrets (no token, cookie or key is stored).
 */
export interface AuthStore {
  /**
   * Adds 1 to the counter `key`, atomically across every instance sharing the store, and gives its value and
   * time left. A counter that does not exist (or expired) starts at 1 and lives `ttlMs`; an increment does not
   * extend it.
   */
  increment(key: string, ttlMs: number): Promise<Counted>;
  /** The value under `key`, or `undefined` when there is none (or it expired). A counter reads as its decimal string. */
  get(key: string): Promise<string | undefined>;
  /** Puts `value` under `key` for `ttlMs` milliseconds, replacing what was there. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes `key`; a key that is not there is no error. */
  delete(key: string): Promise<void>;
  /**
   * What the layer does when the store fails (down, unreachable, too slow): `'closed'` refuses the request
   * with 503, `'open'` lets it through without the check and logs a warning. Never silent.
   */
  readonly whenDown: 'closed' | 'open';
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** The clock, in milliseconds. Default: the web layer's (`createWebAuth`'s `now`) or `Date.now`. */
  readonly now?: (() => number) | undefined;
  /** Beyond this many keys, expired ones are dropped when a new one is made. Default 100,000. */
  readonly maxKeys?: number | undefined;
}

/** The store of one process: the default, and what every instance had before stores existed. */
export interface MemoryStore extends AuthStore {
  /** How many keys it holds (expired ones included until they are pruned). */
  readonly size: number;
}

/**
 * A store in this process's memory. It never fails. With several app instances each has its own, so a limit
 * of N requests becomes N per instance: use `redisStore()` there.
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const counters = new Map<string, { value: number | string; expires: number }>();
  const prune = (at: number): void => {
    for (const [key, counter] of counters) if (counter.expires <= at) counters.delete(key);
  };
  const live = (
    key: string,
    at: number,
  ): { value: number | string; expires: number } | undefined => {
    const entry = counters.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > at) return entry;
    counters.delete(key);
    return undefined;
  };
  const put = (key: string, value: number | string, expires: number, at: number): void => {
    counters.set(key, { value, expires });
    if (counters.size > maxKeys) prune(at);
  };
  return {
    whenDown: 'closed',
    get size() {
      return counters.size;
    },
    increment(key, ttlMs) {
      const at = now();
      const entry = live(key, at);
      const before = entry === undefined ? 0 : Number(entry.value);
      // A value that is not a number counts from 0 here (Redis refuses it); the layer never mixes the two on a key.
      const value = (Number.isFinite(before) ? before : 0) + 1;
      const expires = entry === undefined ? at + ttlMs : entry.expires;
      put(key, value, expires, at);
      return Promise.resolve({ value, ttlMs: expires - at });
    },
    get(key) {
      const entry = live(key, now());
      return Promise.resolve(entry === undefined ? undefined : String(entry.value));
    },
    set(key, value, ttlMs) {
      const at = now();
      put(key, value, at + ttlMs, at);
      return Promise.resolve();
    },
    delete(key) {
      counters.delete(key);
      return Promise.resolve();
    },
  };
}
