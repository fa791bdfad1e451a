/**
 * The failed-log-in throttle, in front of the auth server's own back-off (which each server process keeps alone,
 * so N processes loosen it about N times). Every password check the layer sends (`login`, `confirmPassword`,
 * `changePassword`) is counted in the store before the server is called, per email address and per client
 * address, in windows. An attempt over either threshold is refused (429 with Retry-After, the seconds left in the
 * window) without a server call. Counting before the call means concurrent attempts cannot all slip in under the
 * threshold; only a success is taken back afterwards: it resets its email address's count, and from the client
 * address's count it takes back its own attempt only (a second counter of successes), so logging in to one's own
 * account never clears a client's failures. An unknown address is counted, refused and answered exactly as a
 * known one is: nothing here asks whether it exists. Store keys are hashes (`login-throttle-settings.ts`), never
 * an address in clear, and never a password. A store that fails does what its `whenDown` says.
 */
import type { IPv6 } from 'ipaddr.js';
import type { WebCore } from './core.js';
import { failure } from './failure.js';
import { parseIp, UNKNOWN_IP } from './ip.js';
import type { ThrottleWindow } from './login-throttle-settings.js';
import type { Counted } from './store.js';
import type { RequestState } from './state.js';
import type { AuthFailure } from './types.js';

/** The refusal's words: safe to show, the same for every address. */
export const THROTTLED_MESSAGE = 'Too many failed log-ins. Please try again later.';

/** An attempt the throttle let through: `settle` records the server's answer. */
export interface ThrottlePass {
  /**
   * Records whether the password was right: a success resets the email address's count and takes back its own
   * attempt from the client address's count; anything else stays counted. Never throws.
   */
  settle(succeeded: boolean): Promise<void>;
}

const UNCOUNTED: ThrottlePass = { settle: () => Promise.resolve() };

/** Cores already told that the client address is unknown (one warning each). */
const warnedUnknownIp = new WeakSet<WebCore>();

/** An email address as it is counted: trimmed, NFC, lower case (so case variants share one count). */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

/**
 * The part of a client address that is counted: an IPv4 address whole, an IPv6 address by its /64 (one
 * customer's usual allocation: counting each of its addresses apart would give one client 2⁶⁴ counts); null when
 * the address is unknown.
 */
export function ipScope(ip: string): string | null {
  const parsed = parseIp(ip);
  if (parsed === null || parsed.text === UNKNOWN_IP) return null;
  if (parsed.address.kind() === 'ipv4') return parsed.text;
  const parts = (parsed.address as IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

/** A counter from the store, or a throw (read as a failing store) when it is not a number. */
function checked(counted: Counted): Counted {
  if (!Number.isFinite(counted.value) || !Number.isFinite(counted.ttlMs)) {
    throw new Error('the store answered an increment with something that is not a number');
  }
  return counted;
}

/** A count read with `get`: 0 when absent. */
function countOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error('the store holds something that is not a number');
  return n;
}

/** The 429 of a count over its threshold, logged once per window (without the email address). */
function refusal(
  core: WebCore,
  failures: number,
  ttlMs: number,
  window: ThrottleWindow,
  what: string,
): AuthFailure {
  if (failures === window.maxFailures + 1) {
    core.warn(
      `the log-in throttle refuses password checks ${what}: more than ${window.maxFailures} failed in ` +
        `${Math.round(window.windowMs / 1000)} s`,
    );
  }
  const f = failure('rate-limited', [], Math.max(1, Math.ceil(ttlMs / 1000)));
  return Object.freeze({ ...f, message: THROTTLED_MESSAGE });
}

/** What a failing store means for a password check: 503 (`closed`), or through uncounted (`open`). */
function storeDown(core: WebCore): ThrottlePass | AuthFailure {
  if (core.settings.store.whenDown === 'open') {
    core.warn(
      'the store failed: the log-in throttle let a password check through uncounted (whenDown: open)',
    );
    return UNCOUNTED;
  }
  core.warn(
    'the store failed: the log-in throttle refused a password check with 503 (whenDown: closed)',
  );
  return failure('unavailable');
}

/**
 * Counts a password check for `email` from the request's client address, before the server is called: the pass
 * (to settle with the server's answer), or the refusal (429 over a threshold; 503 when the store fails and its
 * `whenDown` is `closed`). Never throws.
 */
export async function admitPasswordCheck(
  core: WebCore,
  state: RequestState,
  email: string,
): Promise<ThrottlePass | AuthFailure> {
  const settings = core.settings.loginThrottle;
  if (settings === null) return UNCOUNTED;
  const store = core.settings.store;
  const scope = ipScope(state.clientIp);
  if (scope === null && settings.perIp !== null && !warnedUnknownIp.has(core)) {
    warnedUnknownIp.add(core);
    core.warn(
      'the client address is unknown (pass remoteAddress to authenticate): the log-in throttle counts per email address only',
    );
  }
  try {
    let ip: { readonly key: string; readonly ends: number } | null = null;
    if (settings.perIp !== null && scope !== null) {
      const key = `login:ip:${await settings.hash(`ip:${scope}`)}`;
      const counted = checked(await store.increment(key, settings.perIp.windowMs));
      ip = { key, ends: core.now() + counted.ttlMs };
      // Successes are attempts taken back; they are read only when the attempts alone are over the threshold.
      if (counted.value > settings.perIp.maxFailures) {
        const failures = counted.value - countOf(await store.get(`${key}:ok`));
        if (failures > settings.perIp.maxFailures) {
          return refusal(core, failures, counted.ttlMs, settings.perIp, `from ${scope}`);
        }
      }
    }
    let emailKey: string | null = null;
    if (settings.perEmail !== null) {
      emailKey = `login:email:${await settings.hash(`email:${normalizeEmail(email)}`)}`;
      const counted = checked(await store.increment(emailKey, settings.perEmail.windowMs));
      if (counted.value > settings.perEmail.maxFailures) {
        return refusal(
          core,
          counted.value,
          counted.ttlMs,
          settings.perEmail,
          'for one email address',
        );
      }
    }
    return {
      async settle(succeeded) {
        if (!succeeded) return;
        try {
          const left = ip === null ? 0 : ip.ends - core.now();
          await Promise.all([
            emailKey === null ? undefined : store.delete(emailKey),
            ip === null || left <= 0 ? undefined : store.increment(`${ip.key}:ok`, left),
          ]);
        } catch {
          core.warn(
            'the store failed: the log-in throttle could not record a successful password check',
          );
        }
      },
    };
  } catch {
    return storeDown(core);
  }
}
