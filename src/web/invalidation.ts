/**
 * Session-cache invalidation across app instances: each instance publishes, on the store's channel, the sessions
 * it ends, and drops from its cache the ones the others end. A message names one session by its token's SHA-256
 * (`s:<64 hex>`) or every session of a user by the user's id (`u:<id>`); never a token, cookie or secret.
 *
 * Publishing happens wherever a session ends or its row changes (log-out, log-in's end of the earlier session,
 * idle and rotated-out tokens, rotation, `setData`, step-up marks) and wherever every session of a user ends
 * (log-out everywhere, password change and reset, email change, account deletion). "Last seen" writes stay
 * local: they are frequent, and the idle check asks the server again before it ends a session.
 *
 * Fail-safe: while the subscription is not live (not yet up, or lost with Redis), the cache cannot know what it
 * misses, so it serves nothing and every look-up goes to the server; when it is back, the cache starts empty.
 * Nothing here throws: a message that cannot be sent is logged (without secrets) and the request goes on.
 */
import type { SessionCache } from './cache.js';
import { sha256Hex } from './crypto.js';
import type { CacheEvent } from './options.js';
import type { AuthStore } from './store.js';

/** The store channel of session invalidations (a Redis store puts its key prefix in front). */
export const INVALIDATION_CHANNEL = 'session-invalidations';

const SESSION_MESSAGE = /^s:([0-9a-f]{64})$/;
const USER_MESSAGE = /^u:(\d{1,15})$/;

/** One app's side of the invalidation channel. */
export class Invalidations {
  readonly #store: AuthStore;
  readonly #cache: SessionCache | null;
  readonly #warn: (message: string) => void;
  readonly #onEvent: (event: CacheEvent) => void;
  #unsubscribe: (() => void) | null = null;
  #wasDown = false;

  constructor(
    store: AuthStore,
    cache: SessionCache | null,
    warn: (message: string) => void,
    onEvent: ((event: CacheEvent) => void) | null,
  ) {
    this.#store = store;
    this.#cache = cache;
    this.#warn = warn;
    this.#onEvent = (event) => {
      try {
        onEvent?.(event);
      } catch {
        warn('cache.onEvent threw; ignored');
      }
    };
  }

  /**
   * Listens on the store's channel when the cache is on. A store that carries no messages leaves the cache to
   * this process, bounded by its TTL, with a warning: refusing the cache there (a Workers KV store, say) would
   * take away a choice the app can make knowingly.
   */
  start(): void {
    const cache = this.#cache;
    if (cache === null) return;
    if (this.#store.subscribe === undefined) {
      this.#warn(
        `the store carries no messages (no publish/subscribe): the session cache is this instance's own; a session ended by another instance is still accepted here for up to cache.ttlMs (${cache.ttlMs} ms)`,
      );
      return;
    }
    cache.distrust(); // until the subscription is live
    try {
      this.#unsubscribe = this.#store.subscribe(INVALIDATION_CHANNEL, {
        message: (message) => {
          this.#heard(message);
        },
        up: () => {
          cache.trust();
          if (this.#wasDown) this.#warn('the session cache is back on: invalidations arrive again');
          this.#wasDown = false;
          this.#onEvent({ type: 'up' });
        },
        down: (reason) => {
          cache.distrust();
          this.#warn(
            `the session cache is off until the store's channel is back (${reason}): every look-up goes to authnzerver`,
          );
          this.#wasDown = true;
          this.#onEvent({ type: 'down', reason });
        },
      });
    } catch {
      this.#warn(
        'the store could not subscribe to session invalidations: the session cache is off',
      );
    }
  }

  /** Stops listening (the cache stays off: nothing would tell it of sessions ended elsewhere). */
  stop(): void {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = null;
    if (unsubscribe === null) return;
    this.#cache?.distrust();
    try {
      unsubscribe();
    } catch {
      this.#warn('the store failed to unsubscribe from session invalidations');
    }
  }

  #heard(message: string): void {
    const cache = this.#cache;
    if (cache === null) return;
    const session = SESSION_MESSAGE.exec(message);
    if (session !== null) {
      const dropped = cache.dropSession(session[1] as string);
      this.#onEvent({ type: 'invalidated', scope: 'session', dropped });
      return;
    }
    const user = USER_MESSAGE.exec(message);
    if (user !== null) {
      const dropped = cache.dropUser(Number(user[1]));
      this.#onEvent({ type: 'invalidated', scope: 'user', dropped });
    }
    // Anything else is from a newer or foreign sender: ignored.
  }

  /** Tells every instance that the session of this token ended or changed. Never throws. */
  async session(token: string): Promise<void> {
    if (this.#store.publish === undefined) return;
    await this.#publish(`s:${await sha256Hex(token)}`);
  }

  /** Tells every instance that every session of this user ended. Never throws. */
  async user(userId: number): Promise<void> {
    if (this.#store.publish === undefined || !Number.isSafeInteger(userId)) return;
    await this.#publish(`u:${userId}`);
  }

  async #publish(message: string): Promise<void> {
    try {
      await this.#store.publish?.(INVALIDATION_CHANNEL, message);
    } catch {
      this.#warn(
        "could not publish a session invalidation: other instances' caches keep the session until their channel drops or their TTL",
      );
    }
  }
}
