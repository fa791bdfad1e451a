/**
 * The in-memory authnzerver's API keys that belong to a session, as the server's `actions/apikey.py` has them:
 * `apikey-new`, `apikey-verify` and `apikey-revoke`, plus what the no-session keys of `./apikeys-nosession.ts`
 * share with them: the permission check every key action starts with, the key's JSON payload, and verifying and
 * revoking a key named by its `apikey_dict` in either table.
 */
import {
  addSeconds,
  isoformat,
  pyJsonDumps,
  PythonError,
  tokenUrlsafe,
  type Micros,
} from '../py.js';
import { checkAccess } from './access.js';
import { APIKEY_MESSAGES } from './messages.js';
import { fail, type ActionDict, type Body } from './replies.js';
import type { KeyRow, Store } from './store.js';
import { asInteger, need } from './values.js';

/** A new key's row and the JSON text of its payload, which is the API key the caller gets. */
export interface IssuedKey {
  readonly row: KeyRow;
  readonly json: string;
}

/**
 * A new key for the body's user and role, valid from `issued` plus `not_valid_before` seconds until `expires`;
 * `claims` go in its payload after the user's role, `extra` in its row.
 * @throws {PythonError} when the user id is not an integer.
 */
export function issueKey(
  body: Body,
  issued: Micros,
  expires: Micros,
  claims: Readonly<Record<string, unknown>>,
  extra: Pick<KeyRow, 'session_token' | 'refresh'>,
): IssuedKey {
  const token = tokenUrlsafe(32);
  const nbf = addSeconds(issued, Number(body.not_valid_before));
  const payload: Record<string, unknown> = {
    iss: body.issuer,
    ver: body.apiversion,
    uid: body.user_id,
    rol: body.user_role,
    ...claims,
    aud: body.audience,
    sub: body.subject,
    ipa: body.ip_address,
    tkn: token,
    iat: isoformat(issued),
    nbf: isoformat(nbf),
    exp: isoformat(expires),
  };
  const userId = asInteger(body.user_id);
  if (userId === undefined) throw new PythonError('IntegrityError: user_id');
  const row: KeyRow = {
    token,
    issued,
    expires,
    nbf,
    user_id: userId,
    user_role: String(body.user_role),
    ...extra,
  };
  return { row, json: pyJsonDumps(payload) };
}

/** The successful reply to a key issuance, with `fields` after the key and its expiry. */
export function issuedReply(
  json: string,
  expires: Micros,
  fields: Readonly<Record<string, unknown>> = {},
): ActionDict {
  return {
    success: true,
    apikey: json,
    expires: isoformat(expires),
    ...fields,
    messages: [APIKEY_MESSAGES.issued(isoformat(expires))],
  };
}

/**
 * The permission check every API key action starts with: the caller's user and role against the key's owner
 * (the caller itself for a new key, else the `uid` of the body's `apikey_dict`). Returns the refusal to send
 * back when it fails, with the action's own reason and message.
 * @throws {PythonError} when the `apikey_dict` has no `uid`.
 */
export function keyDenied(
  store: Store,
  body: Body,
  action: 'create' | 'view' | 'delete',
  reason: string,
  message: string,
): ActionDict | undefined {
  const allowed = checkAccess(store, {
    userId: body.user_id,
    role: body.user_role,
    action,
    targetName: 'apikey',
    owner: action === 'create' ? body.user_id : need(body.apikey_dict, 'uid'),
    visibility: 'private',
    sharedWith: null,
  });
  return allowed.success ? undefined : fail(reason, message);
}

/** The stored key an `apikey_dict` names (token, user id and role must all match). @throws {PythonError} */
export function storedKey(table: ReadonlyMap<string, KeyRow>, dict: unknown): KeyRow | undefined {
  const token = need(dict, 'tkn');
  const uid = need(dict, 'uid');
  const role = need(dict, 'rol');
  const row = typeof token === 'string' ? table.get(token) : undefined;
  return row !== undefined && row.user_id === asInteger(uid) && row.user_role === role
    ? row
    : undefined;
}

/** Verifies the key in the body's `apikey_dict` against a table: stored, issued and valid now. */
export function verifyKey(
  store: Store,
  body: Body,
  table: ReadonlyMap<string, KeyRow>,
  verified: (expires: string) => string,
): ActionDict {
  const dict = body.apikey_dict;
  const denied = keyDenied(
    store,
    body,
    'view',
    'originating user is not allowed to operate on this API key',
    APIKEY_MESSAGES.verifyDenied,
  );
  if (denied !== undefined) return denied;
  const now = store.now();
  const row = storedKey(table, dict);
  if (row === undefined || row.expires <= now || row.issued >= now || row.nbf >= now)
    return fail(
      'key validation failed, provided key does not match stored key or has expired',
      APIKEY_MESSAGES.notVerified,
    );
  return { success: true, messages: [verified(isoformat(row.expires))] };
}

/** Revokes the key in the body's `apikey_dict` from a table; succeeds when there was such a key. */
export function revokeKey(store: Store, body: Body, table: Map<string, KeyRow>): ActionDict {
  const dict = body.apikey_dict;
  const denied = keyDenied(
    store,
    body,
    'delete',
    'originating user is not allowed to operate on this API key',
    APIKEY_MESSAGES.revokeDenied,
  );
  if (denied !== undefined) return denied;
  const row = storedKey(table, dict);
  if (row !== undefined) table.delete(row.token);
  return { success: row !== undefined, messages: [APIKEY_MESSAGES.revoked] };
}

/** `apikey-new`: a key for the user of a live session, from the session's IP address and user agent. */
export function apikeyNew(store: Store, body: Body): ActionDict {
  const denied = keyDenied(
    store,
    body,
    'create',
    'user not allowed to issue API key',
    APIKEY_MESSAGES.issueDenied,
  );
  if (denied !== undefined) return denied;
  const refused = (message: string): ActionDict => ({
    success: false,
    apikey: null,
    expires: null,
    failure_reason: 'invalid session for user requesting API key issuance',
    messages: [message],
  });
  const session = store.liveSession(body.session_token);
  if (session === undefined) return refused(APIKEY_MESSAGES.issueNoSession);
  const user = store.users.get(session.user_id);
  if (
    session.user_id !== asInteger(body.user_id) ||
    session.ip_address !== body.ip_address ||
    session.user_agent !== body.user_agent ||
    user?.user_role !== body.user_role
  )
    return refused(APIKEY_MESSAGES.issueSessionMismatch);
  const issued = store.now();
  const expires = addSeconds(issued, 0, Number(body.expires_days));
  const { row, json } = issueKey(
    body,
    issued,
    expires,
    { usa: body.user_agent },
    { session_token: session.session_token },
  );
  store.keys.set(row.token, row);
  return issuedReply(json, expires);
}

/** `apikey-verify`: a session key is stored and valid now. */
export function apikeyVerify(store: Store, body: Body): ActionDict {
  return verifyKey(store, body, store.keys, APIKEY_MESSAGES.verified);
}

/** `apikey-revoke`: deletes a session key. */
export function apikeyRevoke(store: Store, body: Body): ActionDict {
  return revokeKey(store, body, store.keys);
}
