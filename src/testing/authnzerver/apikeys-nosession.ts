/**
 * The in-memory authnzerver's API keys without a session, as the server's `actions/apikey_nosession.py` has
 * them: `apikey-new-nosession` (a key with a refresh token), `apikey-verify-nosession`,
 * `apikey-revoke-nosession`, `apikey-revokeall-nosession` and `apikey-refresh-nosession`, which swaps a key and
 * its refresh token for new ones. The refresh token is stored only as a hash.
 */
import { addSeconds, isoformat, tokenUrlsafe } from '../py.js';
import { issuedReply, issueKey, keyDenied, revokeKey, storedKey, verifyKey } from './apikeys.js';
import { APIKEY_MESSAGES } from './messages.js';
import { fail, type ActionDict, type Body } from './replies.js';
import type { Store } from './store.js';
import { asInteger, hashSecret, need, verifySecret } from './values.js';

/** `apikey-new-nosession`: a key and a refresh token, each with its own validity. */
export function apikeyNewNosession(store: Store, body: Body): ActionDict {
  const denied = keyDenied(
    store,
    body,
    'create',
    'originating user is not allowed to issue an API key',
    APIKEY_MESSAGES.issueDenied,
  );
  if (denied !== undefined) return denied;
  const issued = store.now();
  const expires = addSeconds(issued, Number(body.expires_seconds));
  const refreshToken = tokenUrlsafe(32);
  const refresh = {
    hash: hashSecret(refreshToken),
    issued,
    expires: addSeconds(issued, Number(body.refresh_expires)),
    nbf: addSeconds(issued, Number(body.refresh_nbf)),
  };
  const { row, json } = issueKey(body, issued, expires, {}, { refresh });
  store.noSessionKeys.set(row.token, row);
  return issuedReply(json, expires, {
    refresh_token: refreshToken,
    refresh_token_expires: isoformat(refresh.expires),
  });
}

/** `apikey-verify-nosession`: a no-session key is stored and valid now. */
export function apikeyVerifyNosession(store: Store, body: Body): ActionDict {
  return verifyKey(store, body, store.noSessionKeys, APIKEY_MESSAGES.verifiedNoSession);
}

/** `apikey-revoke-nosession`: deletes a no-session key. */
export function apikeyRevokeNosession(store: Store, body: Body): ActionDict {
  return revokeKey(store, body, store.noSessionKeys);
}

/** `apikey-revokeall-nosession`: deletes every no-session key of the user and role of a valid key. */
export function apikeyRevokeallNosession(store: Store, body: Body): ActionDict {
  const dict = body.apikey_dict;
  const denied = keyDenied(
    store,
    body,
    'delete',
    'originating user is not allowed to delete API keys',
    APIKEY_MESSAGES.revokeAllDenied,
  );
  if (denied !== undefined) return denied;
  if (!apikeyVerifyNosession(store, body).success)
    return fail(
      'provided API key is invalid, revoke-all operation requires a valid key to start with',
      APIKEY_MESSAGES.revokeAllInvalid,
    );
  const uid = asInteger(need(dict, 'uid'));
  const role = need(dict, 'rol');
  let revoked = 0;
  for (const [token, row] of store.noSessionKeys) {
    if (row.user_id !== uid || row.user_role !== role) continue;
    store.noSessionKeys.delete(token);
    revoked++;
  }
  return { success: true, revoked_keys: revoked, messages: [APIKEY_MESSAGES.revokedAll] };
}

/** `apikey-refresh-nosession`: a valid refresh token swaps its key for a new key and refresh token. */
export function apikeyRefreshNosession(store: Store, body: Body): ActionDict {
  const dict = body.apikey_dict as Record<string, unknown>;
  const now = store.now();
  const refresh = storedKey(store.noSessionKeys, dict)?.refresh;
  if (
    refresh === undefined ||
    refresh.expires <= now ||
    refresh.nbf >= now ||
    refresh.issued >= now
  )
    return fail(
      'provided API key has no stored refresh token, probably invalid',
      APIKEY_MESSAGES.refreshInvalid,
    );
  if (!verifySecret(refresh.hash, String(body.refresh_token)))
    return fail(
      'provided refresh token does not match stored refresh token',
      APIKEY_MESSAGES.refreshInvalid,
    );
  if (!apikeyRevokeNosession(store, body).success)
    return fail(
      'user from provided API key not allowed to revoke old key',
      APIKEY_MESSAGES.refreshStale,
    );
  const fresh = apikeyNewNosession(store, {
    issuer: dict.iss,
    apiversion: dict.ver,
    user_id: body.user_id,
    user_role: body.user_role,
    audience: dict.aud,
    subject: dict.sub,
    ip_address: body.ip_address,
    expires_seconds: body.expires_seconds,
    not_valid_before: body.not_valid_before,
    refresh_expires: body.refresh_expires,
    refresh_nbf: body.refresh_nbf,
  });
  if (!fresh.success)
    return fail(
      'user from provided API key not allowed to issue new key',
      APIKEY_MESSAGES.refreshStale,
    );
  return fresh;
}
