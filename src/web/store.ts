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
  const counters = new Map<string, { value: number; expires: number }>();
  const prune = (at: number): void => {
    for (const [key, counter] of counters) if (counter.expires <= at) counters.delete(key);
  };
  return {
    whenDown: 'closed',
    get size() {
      return counters.size;
    },
    increment(key, ttlMs) {
      const at = now();
      let counter = counters.get(key);
      if (counter === undefined || counter.expires <= at) {
        counter = { value: 0, expires: at + ttlMs };
        counters.set(key, counter);
        if (counters.size > maxKeys) prune(at);
      }
      counter.value += 1;
      return Promise.resolve({ value: counter.value, ttlMs: counter.expires - at });
    },
  };
}
