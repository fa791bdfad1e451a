/**
 * The optional session cache (off by default): keeps `session-exists` answers (found, or not found) for a short
 * TTL, never past the session's expiry, and merges concurrent checks of the same token into one call. Transient
 * failures are never kept. Log-in and log-out through this process delete their tokens' entries at once.
 *
 * Sessions ended by another app instance arrive as invalidations (`invalidation.ts`): a token's SHA-256 (one
 * session) or a user id (every session of the user). Entries are indexed by both, and an answer in flight when an
 * invalidation arrives is not kept (the `#seq` stamps below). While the instance cannot trust that invalidations
 * reach it (`distrust`), the cache serves nothing and keeps nothing: every look-up goes to the server.
 */
import { optionError } from './option-keys.js';
import type { SessionInfo } from '../../generated/types.js';
import { sha256Hex } from './crypto.js';
import { parseServerDate } from './dates.js';
import type { CallResult } from './failure.js';
import type { CacheEvent, SessionCacheOptions } from './options.js';

interface Entry {
  readonly until: number;
  readonly result: CallResult<SessionInfo>;
  /** The token's SHA-256, as invalidations name it. */
  readonly hash: string;
  /** The session's user, for an invalidation of all of a user's sessions; null for a "not found" answer. */
  readonly userId: number | null;
}

/** The cache's options, checked, with their defaults. */
export interface CacheSettings {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly onEvent: ((event: CacheEvent) => void) | null;
}

/**
 * Checks the `cache` option and applies its defaults (a TTL of 5 s, 10,000 entries).
 * @throws {ConfigError} naming the option when one is malformed.
 */
export function resolveCacheSettings(options: SessionCacheOptions): CacheSettings {
  const ttlMs = options.ttlMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw optionError('cache.ttlMs', 'must be a number of milliseconds > 0');
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw optionError('cache.maxEntries', 'must be a whole number ≥ 1');
  const onEvent = options.onEvent ?? null;
  if (onEvent !== null && typeof onEvent !== 'function')
    throw optionError('cache.onEvent', 'must be a function');
  return Object.freeze({ ttlMs, maxEntries, onEvent });
}

/** The cache of one app. */
export class SessionCache {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<CallResult<SessionInfo>>>();
  /** Bumped by `delete` and `clear`, so an answer that was in flight then is not stored. */
  #generation = new Map<string, number>();
  #epoch = 0;
  /** Token hash → token, and user id → tokens, of the entries kept. */
  readonly #byHash = new Map<string, string>();
  readonly #byUser = new Map<number, Set<string>>();
  /**
   * Counts invalidations from other instances; `#hashSeen` and `#userSeen` keep the count each hash and user was
   * last invalidated at. An answer whose call started at a lower count began before that invalidation: not kept.
   */
  #seq = 0;
  #hashSeen = new Map<string, number>();
  #userSeen = new Map<number, number>();
  /** Whether entries may be served: false while invalidations may be missed (the store's channel is down). */
  #trusted = true;

  constructor(settings: CacheSettings) {
    this.ttlMs = settings.ttlMs;
    this.maxEntries = settings.maxEntries;
  }

  /** Whether the cache serves and keeps answers (false while the invalidation channel is down). */
  get trusted(): boolean {
    return this.#trusted;
  }

  /** How many answers it holds. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached answer for a token, or the one call in flight for it, or a new call through `fetch`. */
  lookup(
    token: string,
    now: number,
    fetch: () => Promise<CallResult<SessionInfo>>,
  ): Promise<CallResult<SessionInfo>> {
    if (!this.#trusted) return fetch();
    const entry = this.#entries.get(token);
    if (entry !== undefined) {
      if (entry.until > now) return Promise.resolve(entry.result);
      this.#remove(token);
    }
    const pending = this.#inflight.get(token);
    if (pending !== undefined) return pending;
    const epoch = this.#epoch;
    const generation = this.#generation.get(token);
    const seq = this.#seq;
    // The hash is made while the call is out, so a miss costs no more time than before.
    const call = Promise.all([fetch(), sha256Hex(token)]).then(
      ([result, hash]) => {
        if (this.#inflight.get(token) === call) this.#inflight.delete(token);
        const userId = result.ok ? result.value.user_id : null;
        if (
          this.#trusted &&
          epoch === this.#epoch &&
          generation === this.#generation.get(token) &&
          (this.#hashSeen.get(hash) ?? 0) <= seq &&
          (userId === null || (this.#userSeen.get(userId) ?? 0) <= seq)
        )
          this.#store(token, hash, userId, now, result);
        return result;
      },
      (error: unknown) => {
        if (this.#inflight.get(token) === call) this.#inflight.delete(token);
        throw error;
      },
    );
    this.#inflight.set(token, call);
    return call;
  }

  #store(
    token: string,
    hash: string,
    userId: number | null,
    now: number,
    result: CallResult<SessionInfo>,
  ): void {
    if (!result.ok && !result.rejected) return; // a transient failure is never kept
    let until = now + this.ttlMs;
    if (result.ok) {
      const expires = parseServerDate(result.value.expires).getTime();
      if (Number.isFinite(expires)) until = Math.min(until, expires);
    }
    this.#remove(token);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#remove(oldest.value);
    }
    this.#entries.set(token, { until, result, hash, userId });
    this.#byHash.set(hash, token);
    if (userId !== null) {
      let tokens = this.#byUser.get(userId);
      if (tokens === undefined) {
        tokens = new Set();
        this.#byUser.set(userId, tokens);
      }
      tokens.add(token);
    }
  }

  /** Drops an entry and its index lines. */
  #remove(token: string): void {
    const entry = this.#entries.get(token);
    if (entry === undefined) return;
    this.#entries.delete(token);
    this.#byHash.delete(entry.hash);
    if (entry.userId !== null) {
      const tokens = this.#byUser.get(entry.userId);
      tokens?.delete(token);
      if (tokens?.size === 0) this.#byUser.delete(entry.userId);
    }
  }

  /** Forgets a token at once (log-in, log-out), including an answer for it still in flight. */
  delete(token: string): void {
    this.#remove(token);
    this.#inflight.delete(token);
    this.#generation.set(token, (this.#generation.get(token) ?? 0) + 1);
    if (this.#generation.size > this.maxEntries) {
      this.#generation = new Map();
      this.#epoch += 1;
    }
  }

  /**
   * Another instance ended the session whose token has this SHA-256: its entry goes, and an answer for it in
   * flight is not kept. Gives how many entries went (0 or 1).
   */
  dropSession(hash: string): number {
    const token = this.#byHash.get(hash);
    this.#invalidated(() => this.#hashSeen.set(hash, this.#seq));
    if (token === undefined) return 0;
    this.#remove(token);
    return 1;
  }

  /** Another instance ended every session of this user: their entries go, and answers in flight are not kept. */
  dropUser(userId: number): number {
    const tokens = [...(this.#byUser.get(userId) ?? [])];
    this.#invalidated(() => this.#userSeen.set(userId, this.#seq));
    for (const token of tokens) this.#remove(token);
    return tokens.length;
  }

  /** Stamps an invalidation; later look-ups make their own calls rather than join one begun before it. */
  #invalidated(mark: () => void): void {
    this.#seq += 1;
    mark();
    this.#inflight.clear();
    if (this.#hashSeen.size + this.#userSeen.size > this.maxEntries) {
      // Too many stamps to keep: forget them, and refuse every answer in flight instead.
      this.#hashSeen = new Map();
      this.#userSeen = new Map();
      this.#epoch += 1;
    }
  }

  /** Invalidations may be missed from now on: serve nothing, keep nothing, until `trust`. */
  distrust(): void {
    this.#trusted = false;
    this.clear();
  }

  /** Invalidations arrive again: start afresh (anything kept before may have missed one) and serve. */
  trust(): void {
    this.clear();
    this.#trusted = true;
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
    this.#byHash.clear();
    this.#byUser.clear();
    this.#inflight.clear();
    this.#generation.clear();
    this.#epoch += 1;
  }
}
