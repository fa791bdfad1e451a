/**
 * The API-key actions of a logged-in user: issuing a Bearer key on the current session (`apikey-new`), and
 * revoking one of the user's own keys by its Bearer value. Both are changes a cross-site form must not make, so
 * both check the origin.
 */
import { ConfigError } from '../core/errors.js';
import type { ApiKeys } from './apikeys.js';
import type { WebCore } from './core.js';
import { failure, invalidInput, refuse } from './failure.js';
import { checkOrigin } from './sessions.js';
import type { RequestState } from './state.js';
import type { ActionResult, IssueApiKeyInput, IssuedApiKey } from './types.js';

function apiKeys(core: WebCore, action: string): ApiKeys {
  const keys = core.settings.apiKeys;
  if (keys === null) {
    throw new ConfigError(`${action}: createWebAuth needs the \`apiKeys\` option`, {
      option: 'apiKeys',
    });
  }
  return keys;
}

/** Issues a Bearer API key for the logged-in user, on the current session. */
export function issueApiKey(
  core: WebCore,
  state: RequestState,
  input: IssueApiKeyInput,
): Promise<ActionResult<IssuedApiKey>> {
  const keys = apiKeys(core, 'issueApiKey');
  const session = state.session;
  if (session.kind !== 'user' || state.token === null)
    return Promise.resolve(refuse(failure('unauthenticated')));
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return Promise.resolve(refuse(csrf));
  return keys.issue(input, {
    token: state.token,
    userId: session.userId,
    role: session.role,
    ipAddress: state.info?.ip_address ?? state.clientIp,
    userAgent: state.info?.user_agent ?? state.request.headers.get('user-agent') ?? '',
    clientIp: state.clientIp,
    origin: core.settings.origins?.[0] ?? state.origin,
    nowMs: core.now(),
  });
}

/** Revokes one of the logged-in user's keys, by its Bearer value. */
export function revokeApiKey(
  core: WebCore,
  state: RequestState,
  token: unknown,
): Promise<ActionResult<null>> {
  const keys = apiKeys(core, 'revokeApiKey');
  const user = state.user;
  if (user === null) return Promise.resolve(refuse(failure('unauthenticated')));
  if (typeof token !== 'string' || token === '')
    return Promise.resolve(refuse(invalidInput('token is required')));
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return Promise.resolve(refuse(csrf));
  return keys.revoke(token, user, state.clientIp, core.now());
}
