/**
 * The in-memory authnzerver's session actions, as the server's `actions/session.py` has them: `session-new`,
 * `session-exists`, `session-delete` and `session-delete-userid`. A session belongs to a user (the anonymous
 * user, 2, when none is given); deleting it deletes the API keys issued in it.
 */
import { isoformat, PythonError, strptimeMicros, tokenUrlsafe, truthy } from '../py.js';
import { SESSION_MESSAGES } from './messages.js';
import { fail, type ActionDict, type Body } from './replies.js';
import type { Store } from './store.js';
import { asInteger, clone, normalizeIp } from './values.js';

/** `session-new`: a session for a user (the anonymous user by default) until `expires`. */
export function sessionNew(store: Store, body: Body): ActionDict {
  try {
    const ip = normalizeIp(body.ip_address);
    const userId = truthy(body.user_id) ? asInteger(body.user_id) : 2;
    if (typeof body.expires !== 'string') throw new PythonError('expires is not a datetime');
    const expires = strptimeMicros(body.expires.replace(/Z/g, ''));
    if (userId === undefined || !store.users.has(userId))
      throw new PythonError('IntegrityError: FOREIGN KEY constraint failed');
    if (typeof body.user_agent !== 'string') throw new PythonError('user_agent');
    const token = tokenUrlsafe(32);
    store.sessions.set(token, {
      session_token: token,
      ip_address: ip,
      user_agent: body.user_agent,
      user_id: userId,
      created: store.now(),
      expires,
      extra_info_json: clone(body.extra_info_json),
    });
    return {
      success: true,
      session_token: token,
      expires: isoformat(expires),
      messages: [SESSION_MESSAGES.created],
    };
  } catch (error) {
    if (!(error instanceof PythonError)) throw error;
    return {
      failure_reason: 'DB error when making new session',
      success: false,
      session_token: null,
      expires: null,
      messages: [SESSION_MESSAGES.notCreated],
    };
  }
}

/** `session-exists`: a live session with its user's details. */
export function sessionExists(store: Store, body: Body): ActionDict {
  const session = store.liveSession(body.session_token);
  if (session === undefined)
    return fail('session does not exist or expired', SESSION_MESSAGES.notFound, {
      session_info: null,
    });
  return {
    success: true,
    session_info: store.sessionDict(session),
    messages: [SESSION_MESSAGES.found],
  };
}

/** `session-delete`: one session, expired or not. */
export function sessionDelete(store: Store, body: Body): ActionDict {
  const deleted = typeof body.session_token === 'string' && store.deleteSession(body.session_token);
  return { success: deleted, messages: [SESSION_MESSAGES.deleted(deleted)] };
}

/** `session-delete-userid`: a user's sessions, but the one in `session_token` when it is given. */
export function sessionDeleteUserid(store: Store, body: Body): ActionDict {
  // At this server revision, keep_current_session is read from session_token, so any token keeps its session.
  const keep = truthy(body.session_token) ? body.session_token : undefined;
  const deleted = store.deleteSessionsOf(asInteger(body.user_id), keep) > 0;
  return { success: deleted, messages: [SESSION_MESSAGES.userSessionsDeleted(deleted)] };
}
