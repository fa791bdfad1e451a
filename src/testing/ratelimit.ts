import type { Resolved } from '../core/options.js';
import { jsonText, truthy } from './py.js';
import { optionShape } from '../core/options.js';

/**
 * Rate limiting as authnzerver does it (its `RateLimitMixin`): one counter per request type and client IP
 * address, and for request types whose name contains `email` one more per email address. Counters never
 * expire; a request is refused once its counter is over the limit and the average rate since the counter's
 * first hit is over the limit as well, so a quick burst trips it at once and the refusal lifts as the average
 * falls.
 */

/** Per-minute limits. */
export interface RateLimitOptions {
  /** Any request type, per client IP address, once past `burst`. @default 720 */
  readonly ipaddr?: number | undefined;
  /** `user-*` types once past `burst`, and the per-email counter of email types without a tight limit. @default 480 */
  readonly user?: number | undefined;
  /** `session-*` types once past `burst`. @default 600 */
  readonly session?: number | undefined;
  /** `apikey-*` types once past `burst`. @default 720 */
  readonly apikey?: number | undefined;
  /** How many requests of one type from one client IP address pass before the group limits apply. @default 150 */
  readonly burst?: number | undefined;
  /**
   * Tight limits by request type, applied from the first request, merged over {@link DEFAULT_TYPE_LIMITS}.
   * (The real server cannot loosen those; here a test may.)
   */
  readonly types?: Readonly<Record<string, number>> | undefined;
}

/** The real server's tight per-type limits (per minute, per client IP address and per email address). */
export const DEFAULT_TYPE_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  'user-new': 5,
  'user-login': 10,
  'user-logout': 10,
  'user-edit': 10,
  'user-resetpass': 5,
  'user-changepass': 5,
  'user-sendemail-signup': 2,
  'user-sendemail-forgotpass': 2,
  'user-set-emailsent': 2,
  'apikey-new': 30,
  'apikey-new-nosession': 30,
  'apikey-refresh-nosession': 30,
});

/** A value as text for a counter's key. */
function keyText(value: unknown): string {
  if (typeof value === 'string') return value;
  return jsonText(value);
}

interface Counter {
  count: number;
  readonly since: number;
}

/** The rate limiter of one test server. `now` gives milliseconds (fractions allowed). */
export class RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private readonly limits: Resolved<Omit<RateLimitOptions, 'types'>>;
  private readonly typeLimits: Readonly<Record<string, number>>;

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number,
  ) {
    this.limits = {
      ipaddr: options.ipaddr ?? 720,
      user: options.user ?? 480,
      session: options.session ?? 600,
      apikey: options.apikey ?? 720,
      burst: options.burst ?? 150,
    };
    this.typeLimits = { ...DEFAULT_TYPE_LIMITS, ...options.types };
  }

  private hit(key: string): Counter {
    const counter = this.counters.get(key);
    if (counter !== undefined) {
      counter.count++;
      return counter;
    }
    const fresh = { count: 1, since: this.now() };
    this.counters.set(key, fresh);
    return fresh;
  }

  /** Requests per minute since the counter's first hit, not counting that first one. */
  private rate(counter: Counter): number {
    const minutes = (this.now() - counter.since) / 60_000;
    return minutes > 0 ? (counter.count - 1) / minutes : Infinity;
  }

  private over(counter: Counter, limit: number): boolean {
    return counter.count > limit && this.rate(counter) > limit;
  }

  /**
   * Counts one request and says whether to refuse it: 429, or 500 where the real limiter fails (a body that is
   * missing, or not an object for an email type), or undefined to go on.
   */
  check(
    type: string,
    clientIpaddr: unknown,
    envelope: Readonly<Record<string, unknown>>,
  ): number | undefined {
    const byIp = this.hit(`${type}-${keyText(clientIpaddr)}`);
    if (!('body' in envelope)) return 500;
    const body = envelope.body;
    const tight = this.typeLimits[type];
    if (type.includes('email') && body !== null && body !== undefined) {
      if (typeof body !== 'object' || Array.isArray(body)) return 500;
      const fields = body as Record<string, unknown>;
      const email = truthy(fields.email) ? fields.email : fields.email_address;
      if (!truthy(email)) return 429;
      const byEmail = this.hit(`${type}-${keyText(email)}`);
      if (this.over(byEmail, tight ?? this.limits.user)) return 429;
    }
    if (tight !== undefined) return this.over(byIp, tight) ? 429 : undefined;
    if (byIp.count <= this.limits.burst) return undefined;
    const group = type.startsWith('user-')
      ? this.limits.user
      : type.startsWith('session-')
        ? this.limits.session
        : type.startsWith('apikey-')
          ? this.limits.apikey
          : type.startsWith('internal-')
            ? 3000
            : this.limits.ipaddr;
    return this.rate(byIp) > group ? 429 : undefined;
  }

  /** Forgets every counter. */
  reset(): void {
    this.counters.clear();
  }
}

/** `types` is a map of request types to limits, not an option object: its keys are not checked. */
export const RATE_LIMITS = optionShape<RateLimitOptions>({
  ipaddr: true,
  user: true,
  session: true,
  apikey: true,
  burst: true,
  types: true,
});
