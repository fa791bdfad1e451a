/**
 * The store: what the web layer keeps between requests (today the request windows of `limitRequests`), behind a
 * small interface, so that several app instances, or serverless functions with no memory between requests, can
 * share it. `memoryStore()` is the default and keeps it in this process; `redisStore()` (redis-store.ts) shares it
 * through the app's own Redis client.
 *
 * A store may also carry messages between the instances that share it (`publish`, `subscribe`): the session
 * cache uses them to hear of sessions ended elsewhere. Publish/subscribe was chosen over versioned keys because
 * a cache hit then stays free: with versioned keys, every hit would first read the session's (or user's) version
 * from the store, a round trip on each request, which is what the cache exists to avoid.
 */

/** A counter after one increment: its value, and the milliseconds until it expires. */
export interface Counted {
  readonly value: number;
  readonly ttlMs: number;
}

/** Who listens on a channel of the store: its messages, and whether they can be trusted to arrive. */
export interface ChannelListener {
  /** A message published on the channel, by any instance sharing the store (this one included). */
  message(message: string): void;
  /** Delivery is live: every message published from now on arrives. Called again after each reconnection. */
  up(): void;
  /** Delivery is lost (or not set up yet): messages published meanwhile may never arrive. Never given a secret. */
  down(reason: string): void;
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
  /**
   * Sends `message` to every listener of `channel` in every instance sharing the store. Optional: a store
   * without it (and `subscribe`) carries no messages, so each instance's session cache stays its own, bounded by
   * its TTL. A store has both or neither. It never holds a secret: the layer sends hashes and user ids only.
   */
  publish?(channel: string, message: string): Promise<void>;
  /**
   * Listens on `channel` until the returned function is called. The listener hears `up` once messages are
   * delivered (at once, or after the store connects) and `down` when delivery is lost; it never throws.
   */
  subscribe?(channel: string, listener: ChannelListener): () => void;
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
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, listener: ChannelListener): () => void;
}

/**
 * A store in this process's memory. It never fails. With several app instances each has its own, so a limit
 * of N requests becomes N per instance: use `redisStore()` there. Its messages reach the listeners of this
 * process at once, during `publish` (so two `createWebAuth` on one memory store see each other's log-outs).
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
  const channels = new Map<string, Set<ChannelListener>>();
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
    publish(channel, message) {
      for (const listener of [...(channels.get(channel) ?? [])]) {
        try {
          listener.message(message);
        } catch {
          // a listener's failure is its own; the others still hear the message
        }
      }
      return Promise.resolve();
    },
    subscribe(channel, listener) {
      let listeners = channels.get(channel);
      if (listeners === undefined) {
        listeners = new Set();
        channels.set(channel, listeners);
      }
      listeners.add(listener);
      listener.up(); // nothing between here and the publisher can fail
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) channels.delete(channel);
      };
    },
  };
}
