/**
 * Reading one request: the client's IP (the socket's peer, or `X-Forwarded-For` through trusted proxies), the
 * app's origin for it, then either a Bearer API key (checked; the cookie is not read, so CSRF does not apply) or
 * the session cookie (refused when malformed or wrongly signed, looked up with `session-exists`), with the CSRF
 * rule for unsafe methods. A server that does not answer fails the request closed and keeps the cookie.
 */
import { Context } from './context.js';
import type { WebCore } from './core.js';
import { isSafeMethod, originOf } from './csrf.js';
import { bearerChallenge, challenged, failure } from './failure.js';
import { enforceLifetime } from './lifetime.js';
import { clearSessionCookie, ensureSession } from './sessions.js';
import { RequestState } from './state.js';
import type { AuthenticateOptions, AuthenticateResult, AuthRequest, RequestEnv } from './types.js';

/** The app's origin for a request: its own when it is one of the app's, else the app's first; else its own. */
function originFor(core: WebCore, request: AuthRequest): string {
  const own = originOf(request.url);
  const origins = core.settings.origins;
  return origins === null ? own : origins.includes(own) ? own : (origins[0] as string);
}

/** A request with `Authorization: Bearer`: the key is checked, and is the request's principal. */
async function withApiKey(
  core: WebCore,
  state: RequestState,
  bearer: string,
): Promise<AuthenticateResult> {
  const keys = core.settings.apiKeys;
  if (keys === null) {
    return state.refuse(
      challenged(failure('invalid-api-key'), bearerChallenge(undefined, 'invalid_token')),
    );
  }
  const audience = core.settings.origins?.[0] ?? state.origin;
  const checked = await keys.verify(bearer, state.request, state.clientIp, audience, core.now());
  if (!checked.ok) {
    if (!checked.rejected)
      core.warn(`apikey verification failed: answering ${checked.failure.status}`);
    return state.refuse(checked.failure);
  }
  state.adoptApiKey(checked.value);
  return { ok: true, context: new Context(core, state) };
}

/** A request without a key: its session cookie, if any, under the CSRF rule. */
async function withCookie(
  core: WebCore,
  state: RequestState,
  options: AuthenticateOptions,
): Promise<AuthenticateResult> {
  const { cookie, csrfEnabled, origins } = core.settings;
  const request = state.request;
  let read = cookie.read(request.headers.get('cookie'), state.secure);
  if (read instanceof Promise) read = await read;
  if (read.state !== 'absent') state.cookieSeen = true;
  if (read.state !== 'absent' && csrfEnabled && !isSafeMethod(request.method)) {
    const refused = core.checkCsrf(request, origins ?? [state.origin]);
    if (refused !== null) return state.refuse(refused);
  }
  if (read.state === 'refused') {
    core.warn('refused a malformed or wrongly signed session cookie');
    clearSessionCookie(core, state);
  } else if (read.state === 'present') {
    const found = await core.lookup(read.token, state.clientIp);
    if (found.ok) {
      state.adopt(read.token, found.value);
      // The lifetime policy: idle timeout, rotation (lifetime.ts).
      const refused = await enforceLifetime(core, state);
      if (refused !== null) return state.refuse(refused);
    } else if (found.rejected) clearSessionCookie(core, state);
    // A transient failure: fail closed, and keep the cookie (the user is not logged out).
    else return state.refuse(found.failure);
  }
  if (options.createAnonymous === true && state.session.kind === 'none') {
    const made = await ensureSession(core, state);
    if (!made.ok) return state.refuse(made.failure);
  }
  return { ok: true, context: new Context(core, state) };
}

/** Reads one request into its context, or the failure to answer it with at once. */
export function authenticate(
  core: WebCore,
  request: AuthRequest,
  env: RequestEnv,
  options: AuthenticateOptions,
): Promise<AuthenticateResult> {
  const { clientIp, trustsProxy, cookie } = core.settings;
  const headers = request.headers;
  const ip = clientIp(env.remoteAddress, trustsProxy ? headers.get('x-forwarded-for') : null);
  const origin = originFor(core, request);
  const state = new RequestState(request, ip, origin, cookie.isSecure(origin), env.setCookie);
  const authorization = headers.get('authorization');
  if (authorization !== null && /^bearer\s/i.test(authorization)) {
    return withApiKey(core, state, authorization.slice(7).trim());
  }
  return withCookie(core, state, options);
}
