/**
 * One request's state, as the core's flows read and change it: who is asking (the session's token and row, the
 * typed session, the principal, the presented API key), where the request came from, and where its `Set-Cookie`
 * values go. `Context` (the public face) reads it; only the flows (`sessions.ts`, `signup.ts`, …) change it, through
 * the methods here.
 */
import type { SessionInfo } from '../../generated/types.js';
import { parseServerDate } from './dates.js';
import type {
  ApiKeyInfo,
  AuthFailure,
  AuthenticateResult,
  AuthRequest,
  Principal,
  Session,
  UserSession,
} from './types.js';

/** authnzerver's anonymous user. */
const ANONYMOUS_USER_ID = 2;

/** No session. */
export const NO_SESSION: Session = Object.freeze({ kind: 'none' });

/** A session-exists answer as the typed session: `none` for an inactive user's session. */
export function toSession(info: SessionInfo): Session {
  const expires = parseServerDate(info.expires);
  if (info.user_id === ANONYMOUS_USER_ID || info.user_role === 'anonymous') {
    return { kind: 'anonymous', expires };
  }
  if (!info.is_active) return NO_SESSION;
  return {
    kind: 'user',
    userId: info.user_id,
    systemId: info.system_id,
    email: info.email,
    fullName: info.full_name,
    role: info.user_role,
    emailVerified: info.email_verified,
    expires,
  };
}

/** One request's state. */
export class RequestState {
  readonly request: AuthRequest;
  readonly clientIp: string;
  /** The app's origin for this request. */
  readonly origin: string;
  /** Whether the cookie is `Secure` (and `__Host-`) here. */
  readonly secure: boolean;
  /** The `Set-Cookie` values, when no sink takes them at once. */
  readonly setCookies: string[] = [];
  session: Session = NO_SESSION;
  user: Principal | null = null;
  apiKey: ApiKeyInfo | null = null;
  /** The current session's token and row; null without one (or the row not read yet). */
  token: string | null = null;
  info: SessionInfo | null = null;
  /** Whether the request carried a session cookie (valid or not). */
  cookieSeen = false;
  /** How many `Set-Cookie` values this request's answer carries. */
  emitted = 0;
  readonly #sink: ((value: string) => void) | undefined;

  constructor(
    request: AuthRequest,
    clientIp: string,
    origin: string,
    secure: boolean,
    sink: ((value: string) => void) | undefined,
  ) {
    this.request = request;
    this.clientIp = clientIp;
    this.origin = origin;
    this.secure = secure;
    this.#sink = sink;
  }

  /** Sends a `Set-Cookie` value: to the adapter's sink, or into `setCookies`. */
  emit(value: string): void {
    this.emitted += 1;
    if (this.#sink === undefined) this.setCookies.push(value);
    else this.#sink(value);
  }

  /**
   * Whether the answer depends on who is asking: the request had a session, a session cookie or an API key, or
   * the answer sets a cookie. Such an answer is `Cache-Control: private, no-store` (cache-policy.ts).
   */
  get personal(): boolean {
    return (
      this.cookieSeen || this.emitted > 0 || this.session.kind !== 'none' || this.apiKey !== null
    );
  }

  /** The refusal of the whole request, with the cookies set so far. */
  refuse(f: AuthFailure): AuthenticateResult {
    return { ok: false, failure: f, setCookies: this.setCookies };
  }

  /** Takes a session row as the request's session. */
  adopt(token: string, info: SessionInfo): void {
    this.token = token;
    this.info = info;
    this.session = toSession(info);
    this.user =
      this.session.kind === 'user'
        ? {
            userId: this.session.userId,
            role: this.session.role,
            via: 'session',
            email: this.session.email,
          }
        : null;
  }

  /** Takes a new anonymous session as the request's session. */
  adoptAnonymous(token: string, expires: Date): void {
    this.token = token;
    this.info = null;
    this.session = { kind: 'anonymous', expires };
    this.user = null;
  }

  /** Takes a new user session, before its row is read back. */
  adoptUser(token: string, session: UserSession): void {
    this.token = token;
    this.info = null;
    this.session = session;
    this.user = {
      userId: session.userId,
      role: session.role,
      via: 'session',
      email: session.email,
    };
  }

  /** Takes a presented API key's claims as the request's principal. */
  adoptApiKey(info: ApiKeyInfo): void {
    this.apiKey = info;
    this.user = { userId: info.userId, role: info.role, via: 'apikey', email: null };
  }

  /** Forgets the session (after log-out, or a log-in that ended it). */
  drop(): void {
    this.token = null;
    this.info = null;
    this.session = NO_SESSION;
    this.user = null;
  }
}
