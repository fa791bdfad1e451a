/**
 * Bearer API keys for the web core. A key is authnzerver's claims (the `apikey` JSON that `apikey-new` returns),
 * sealed with Fernet under the app's own key, so a forged or altered key is refused without a server call, and
 * its claims stay private. A presented key is opened, its issuer, audience, subject (a path prefix), validity
 * window and, optionally, IP are checked here, and then authnzerver checks it is stored and not revoked
 * (`apikey-verify` for session keys, `apikey-verify-nosession` for keys without `usa`), as the server defines them.
 */
import { optionError } from './option-keys.js';
import type { Authnzerver } from '../../generated/client.js';
import type { ApiKeyPayload } from '../../generated/types.js';
import { fernetSealer, type Sealer } from './crypto.js';
import { parseServerDate as serverDate } from './dates.js';
import {
  bearerChallenge,
  challenged,
  failure,
  fromResult,
  invalidInput,
  type BearerError,
  type CallResult,
} from './failure.js';
import type {
  ActionResult,
  ApiKeyInfo,
  AuthFailure,
  AuthRequest,
  IssueApiKeyInput,
  IssuedApiKey,
  Principal,
} from './types.js';
import type { ApiKeyOptions } from './options.js';

/**
 * How far the auth server's clock may run ahead of ours when a key's `nbf` (set by the server, from its own clock)
 * is checked here: a key issued a moment ago by a server whose clock leads by a few seconds is not refused before
 * the server itself is asked. 60 s, as Fernet allows for a token's time. The server checks `nbf` again with its own
 * clock on `apikey-verify`, so the leeway never lets an early key through.
 */
const NOT_BEFORE_SKEW_MS = 60_000;

/** What issuing needs from the session. */
export interface IssueContext {
  readonly token: string;
  readonly userId: number;
  readonly role: string;
  readonly ipAddress: string;
  readonly userAgent: string;
  readonly clientIp: string;
  readonly origin: string;
  readonly nowMs: number;
}

const SEALED = /^[A-Za-z0-9_-]+={0,2}$/;

/** The claims, if `value` has the shape of authnzerver's API key payload. */
function asPayload(value: unknown): ApiKeyPayload | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const strings = ['iss', 'aud', 'sub', 'rol', 'ipa', 'tkn', 'iat', 'nbf', 'exp'] as const;
  if (!strings.every((k) => typeof v[k] === 'string')) return null;
  if (typeof v['uid'] !== 'number' || !Number.isInteger(v['uid'])) return null;
  if (typeof v['ver'] !== 'string' && typeof v['ver'] !== 'number') return null;
  if (v['usa'] !== undefined && typeof v['usa'] !== 'string') return null;
  return value as ApiKeyPayload;
}

/** The public claims of a key (no `tkn`). */
function infoOf(p: ApiKeyPayload): ApiKeyInfo {
  return {
    issuer: p.iss,
    audience: p.aud,
    subject: p.sub,
    version: p.ver,
    userId: p.uid,
    role: p.rol,
    ipAddress: p.ipa,
    issuedAt: serverDate(p.iat),
    notBefore: serverDate(p.nbf),
    expires: serverDate(p.exp),
    type: p.usa === undefined ? 'nosession' : 'session',
  };
}

/** The path of a request URL (no query). */
function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
  if (start < 0) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}

/**
 * Whether `path` is within the key's subject: the same path, or under it as a folder. A path with a dot segment
 * (`.` or `..`), written plainly or percent-encoded (`%2e%2e`), or with an encoded or backward slash, is never
 * inside: a server or proxy that normalises it could route it outside the subject (`/api/../admin`).
 */
export function pathInSubject(subject: string, path: string): boolean {
  if (!subject.startsWith('/')) return false;
  if (/%2f|%5c|\\/i.test(path)) return false;
  const segments = path.replace(/%2e/gi, '.').split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return false;
  if (path === subject) return true;
  const folder = subject.endsWith('/') ? subject : `${subject}/`;
  return path.startsWith(folder);
}

/** Whether text has a control character (which a quoted header parameter cannot carry). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** What a Bearer key seals: the server's claims, and whether the key is bound to its `ipa`. */
interface SealedKey {
  readonly claims: ApiKeyPayload;
  readonly bindToIp: boolean;
}

/** The API-key rules of one app. */
export class ApiKeys {
  readonly #sealer: Sealer;
  readonly #client: Authnzerver;
  readonly #issuer: string;
  readonly #audience: string | undefined;
  readonly #subject: string;
  readonly #checkSubject: ((subject: string, request: AuthRequest) => boolean) | undefined;
  readonly #expiresDays: number;
  readonly #bindToIp: boolean;
  readonly #realm: string | undefined;

  /** @throws {ConfigError} naming the option when one is malformed. */
  constructor(options: ApiKeyOptions, client: Authnzerver) {
    this.#sealer = fernetSealer(options.secret, 'apiKeys.secret');
    this.#client = client;
    this.#issuer = options.issuer ?? 'authnzerver';
    this.#audience = options.audience;
    this.#subject = options.subject ?? '/api/';
    if (!this.#subject.startsWith('/'))
      throw optionError('apiKeys.subject', 'must be a path starting with /');
    this.#checkSubject = options.checkSubject;
    this.#expiresDays = options.expiresDays ?? 30;
    if (!Number.isInteger(this.#expiresDays) || this.#expiresDays < 1) {
      throw optionError('apiKeys.expiresDays', 'must be a whole number ≥ 1');
    }
    this.#bindToIp = options.bindToIp ?? true;
    if (typeof this.#bindToIp !== 'boolean')
      throw optionError('apiKeys.bindToIp', 'must be a boolean');
    this.#realm = options.realm;
    if (
      this.#realm !== undefined &&
      (typeof this.#realm !== 'string' || hasControlCharacter(this.#realm))
    ) {
      throw optionError('apiKeys.realm', 'must be a string without control characters');
    }
  }

  /** The `WWW-Authenticate` challenge of a refusal (RFC 6750 §3). */
  challenge(error?: BearerError): string {
    return bearerChallenge(this.#realm, error);
  }

  /** A refusal of a presented key: 401 `invalid_token`, or 403 `insufficient_scope`. */
  refusal(code: 'invalid-api-key' | 'api-key-scope'): AuthFailure {
    return challenged(
      failure(code),
      this.challenge(code === 'invalid-api-key' ? 'invalid_token' : 'insufficient_scope'),
    );
  }

  /** The claims and binding sealed in a Bearer key, or null when it is not one of this app's keys. */
  async #open(bearer: string, nowMs: number): Promise<SealedKey | null> {
    if (bearer.length > 8192 || !SEALED.test(bearer)) return null;
    const text = await this.#sealer.open(bearer, nowMs);
    if (text === null) return null;
    let sealed: unknown;
    try {
      sealed = JSON.parse(text);
    } catch {
      return null;
    }
    if (typeof sealed !== 'object' || sealed === null) return null;
    const { claims, bindToIp } = sealed as { claims?: unknown; bindToIp?: unknown };
    const payload = asPayload(claims);
    if (payload === null || typeof bindToIp !== 'boolean') return null;
    return { claims: payload, bindToIp };
  }

  /**
   * `apikey-verify` or `apikey-revoke` for a session key, the `-nosession` one for a key without `usa`: the
   * same body either way.
   */
  #keyCall(
    action: 'verify' | 'revoke',
    claims: ApiKeyPayload,
    user: { readonly userId: number; readonly role: string },
    clientIp: string,
  ) {
    const body = {
      apikey_dict: claims,
      user_id: user.userId,
      user_role: user.role,
      client_ipaddr: clientIp,
    };
    const session = claims.usa !== undefined;
    if (action === 'verify')
      return session ? this.#client.apikeyVerify(body) : this.#client.apikeyVerifyNosession(body);
    return session ? this.#client.apikeyRevoke(body) : this.#client.apikeyRevokeNosession(body);
  }

  /**
   * Checks a presented Bearer key: locally first (no server call for a forged, foreign, expired, wrongly
   * addressed or out-of-subject key), then `apikey-verify` for whether the server still has it.
   */
  async verify(
    bearer: string,
    request: AuthRequest,
    clientIp: string,
    origin: string,
    nowMs: number,
  ): Promise<CallResult<ApiKeyInfo>> {
    const refuse = (code: 'invalid-api-key' | 'api-key-scope'): CallResult<ApiKeyInfo> => ({
      ok: false,
      rejected: true,
      messages: [],
      failure: this.refusal(code),
    });
    const sealed = await this.#open(bearer, nowMs);
    if (sealed === null) return refuse('invalid-api-key');
    const { claims } = sealed;
    const info = infoOf(claims);
    if (
      !(info.expires.getTime() > nowMs) ||
      !(info.notBefore.getTime() <= nowMs + NOT_BEFORE_SKEW_MS) ||
      claims.iss !== this.#issuer ||
      claims.aud !== (this.#audience ?? origin) ||
      (sealed.bindToIp && claims.ipa !== clientIp)
    ) {
      return refuse('invalid-api-key');
    }
    const subjectOk =
      this.#checkSubject === undefined
        ? pathInSubject(claims.sub, pathOf(request.url))
        : this.#checkSubject(claims.sub, request);
    if (!subjectOk) return refuse('api-key-scope');
    let result;
    try {
      result = await this.#keyCall(
        'verify',
        claims,
        { userId: claims.uid, role: claims.rol },
        clientIp,
      );
    } catch {
      return { ok: false, rejected: false, failure: failure('unavailable') };
    }
    const read = fromResult(result);
    if (read.ok) return { ok: true, value: info, messages: [] };
    return read.rejected ? refuse('invalid-api-key') : read;
  }

  /** `apikey-new` on the user's session, then the sealed key. */
  async issue(input: IssueApiKeyInput, ctx: IssueContext): Promise<ActionResult<IssuedApiKey>> {
    const subject = input.subject ?? this.#subject;
    if (typeof subject !== 'string' || !subject.startsWith('/')) {
      return { ok: false, failure: invalidInput('subject must be a path starting with /') };
    }
    const days = input.expiresDays ?? this.#expiresDays;
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      return {
        ok: false,
        failure: invalidInput('expiresDays must be a whole number from 1 to 3650'),
      };
    }
    const bindToIp = input.bindToIp ?? this.#bindToIp;
    if (typeof bindToIp !== 'boolean') {
      return { ok: false, failure: invalidInput('bindToIp must be a boolean') };
    }
    let result;
    try {
      result = await this.#client.apikeyNew({
        issuer: this.#issuer,
        audience: input.audience ?? this.#audience ?? ctx.origin,
        subject,
        apiversion: input.apiVersion ?? 1,
        expires_days: days,
        not_valid_before: 0,
        user_id: ctx.userId,
        user_role: ctx.role,
        ip_address: ctx.ipAddress,
        user_agent: ctx.userAgent,
        session_token: ctx.token,
        client_ipaddr: ctx.clientIp,
      });
    } catch {
      return { ok: false, failure: invalidInput('a field is too long or malformed') };
    }
    const read = fromResult<{ apikey: string }>(result);
    if (!read.ok)
      return {
        ok: false,
        failure: read.rejected ? failure('forbidden', read.messages) : read.failure,
      };
    const claims = asPayload(JSON.parse(read.value.apikey));
    if (claims === null) return { ok: false, failure: failure('unavailable') };
    const token = await this.seal(claims, bindToIp, ctx.nowMs);
    return { ok: true, value: { token, info: infoOf(claims) }, messages: read.messages };
  }

  /** `apikey-revoke` (or `-nosession`) of a key by its Bearer value, for its own user. */
  async revoke(
    bearer: string,
    user: Principal,
    clientIp: string,
    nowMs: number,
  ): Promise<ActionResult<null>> {
    const sealed = await this.#open(bearer, nowMs);
    if (sealed === null) return { ok: false, failure: failure('invalid-api-key') };
    if (sealed.claims.uid !== user.userId) return { ok: false, failure: failure('forbidden') };
    let result;
    try {
      result = await this.#keyCall('revoke', sealed.claims, user, clientIp);
    } catch {
      return { ok: false, failure: failure('unavailable') };
    }
    const read = fromResult(result);
    if (read.ok) return { ok: true, value: null, messages: read.messages };
    return {
      ok: false,
      failure: read.rejected ? failure('rejected', read.messages) : read.failure,
    };
  }

  /** Seals a key's claims and its IP binding into a Bearer value. */
  seal(claims: ApiKeyPayload, bindToIp: boolean, nowMs: number): Promise<string> {
    const sealed: SealedKey = { claims, bindToIp };
    return this.#sealer.seal(JSON.stringify(sealed), nowMs);
  }
}
