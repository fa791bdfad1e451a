/**
 * The optional session cache (off by default): keeps `session-exists` answers (found, or not found) for a short
 * TTL, never past the session's expiry, and merges concurrent checks of the same token into one call. Transient
 * failures are never kept. Log-in and log-out through this process delete their tokens' entries at once; a
 * session deleted anywhere else is still accepted here for at most the TTL.
 */
import { optionError } from './option-keys.js';
import type { SessionInfo } from '../../generated/types.js';
import { parseServerDate } from './dates.js';
import type { CallResult } from './failure.js';
import type { SessionCacheOptions } from './options.js';

interface Entry {
  readonly until: number;
  readonly result: CallResult<SessionInfo>;
}

/** The cache's options, checked, with their defaults. */
export interface CacheSettings {
  readonly ttlMs: number;
  readonly maxEntries: number;
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
  return Object.freeze({ ttlMs, maxEntries });
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

  constructor(settings: CacheSettings) {
    this.ttlMs = settings.ttlMs;
    this.maxEntries = settings.maxEntries;
  }

  /** The cached answer for a token, or the one call in flight for it, or a new call through `fetch`. */
  lookup(
    token: string,
    now: number,
    fetch: () => Promise<CallResult<SessionInfo>>,
  ): Promise<CallResult<SessionInfo>> {
    const entry = this.#entries.get(token);
    if (entry !== undefined) {
      if (entry.until > now) return Promise.resolve(entry.result);
      this.#entries.delete(token);
    }
    const pending = this.#inflight.get(token);
    if (pending !== undefined) return pending;
    const epoch = this.#epoch;
    const generation = this.#generation.get(token);
    const call = fetch().then(
      (result) => {
        this.#inflight.delete(token);
        if (epoch === this.#epoch && generation === this.#generation.get(token))
          this.#store(token, now, result);
        return result;
      },
      (error: unknown) => {
        this.#inflight.delete(token);
        throw error;
      },
    );
    this.#inflight.set(token, call);
    return call;
  }

  #store(token: string, now: number, result: CallResult<SessionInfo>): void {
    if (!result.ok && !result.rejected) return; // a transient failure is never kept
    let until = now + this.ttlMs;
    if (result.ok) {
      const expires = parseServerDate(result.value.expires).getTime();
      if (Number.isFinite(expires)) until = Math.min(until, expires);
    }
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, { until, result });
  }

  /** Forgets a token at once (log-in, log-out), including an answer for it still in flight. */
  delete(token: string): void {
    this.#entries.delete(token);
    this.#inflight.delete(token);
    this.#generation.set(token, (this.#generation.get(token) ?? 0) + 1);
    if (this.#generation.size > this.maxEntries) {
      this.#generation = new Map();
      this.#epoch += 1;
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
    this.#inflight.clear();
    this.#generation.clear();
    this.#epoch += 1;
  }
}
