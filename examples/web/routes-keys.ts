/**
 * The example app's API-key routes: the keys page, making a key (after a recent password confirmation),
 * revoking one, and the JSON API route that takes Bearer keys only.
 */
import { randomBytes } from 'node:crypto';
import { authFailure, type UserSession } from 'authnzerver/web';
import type { Notice } from './html.js';
import { keysPage, type KeyRow } from './pages.js';
import {
  page,
  refusal,
  withRecentAuth,
  withUser,
  type Refused,
  type Reply,
  type Route,
} from './reply.js';

/** One issued key, as this app remembers it: authnzerver has no request that lists a user's keys. */
interface KeyRecord extends KeyRow {
  /** The Bearer value, kept only to revoke the key; never shown again nor logged. */
  readonly token: string;
  revoked: boolean;
}

/** The key routes of the app at `origin` (for the curl example on the keys page). */
export function keyRoutes(origin: string, refused: Refused): Route[] {
  const keys = new Map<number, KeyRecord[]>();
  const listKeys = (userId: number): KeyRecord[] => keys.get(userId) ?? [];
  const keysReply = (
    status: number,
    session: UserSession,
    created?: { token: string; id: string },
    notice?: Notice,
  ): Reply => page(status, keysPage(session, origin, listKeys(session.userId), created, notice));

  return [
    {
      method: 'GET',
      path: '/keys',
      handle: (auth) => withUser(auth, (session) => keysReply(200, session)),
    },
    {
      method: 'POST',
      path: '/keys',
      // A key acts as the user until it expires: making one needs the password again (step-up).
      handle: (auth) =>
        withRecentAuth(auth, '/keys', async (session) => {
          const result = await auth.issueApiKey();
          if (!result.ok)
            return keysReply(result.failure.status, session, undefined, refusal(result.failure));
          const record: KeyRecord = {
            id: `key-${randomBytes(4).toString('hex')}`,
            token: result.value.token,
            info: result.value.info,
            revoked: false,
          };
          keys.set(session.userId, [...listKeys(session.userId), record]);
          return keysReply(201, session, { token: record.token, id: record.id });
        }),
    },
    {
      method: 'POST',
      path: '/keys/:id/revoke',
      handle: (auth, { params }) =>
        withUser(auth, async (session) => {
          const record = listKeys(session.userId).find((key) => key.id === params.id);
          if (record === undefined) {
            return keysReply(404, session, undefined, {
              kind: 'error',
              messages: ['No such key.'],
            });
          }
          const result = await auth.revokeApiKey(record.token);
          if (!result.ok)
            return keysReply(result.failure.status, session, undefined, refusal(result.failure));
          record.revoked = true;
          return keysReply(200, session, undefined, {
            kind: 'info',
            messages: [`The key ${record.id} is revoked.`],
          });
        }),
    },
    {
      // The JSON API: Bearer API keys only (a browser's cookie is not enough here).
      method: 'GET',
      path: '/api/me',
      handle(auth) {
        const key = auth.apiKey;
        const user = auth.user;
        // A cookie is not enough here: 401 with `WWW-Authenticate: Bearer` (RFC 6750).
        const denied = auth.requireApiKey();
        if (denied !== null || key === null || user === null) {
          return refused('/api/me', denied ?? authFailure('unauthenticated'), auth);
        }
        return {
          status: 200,
          type: 'json',
          body: JSON.stringify({
            userId: user.userId,
            role: user.role,
            via: user.via,
            key: {
              subject: key.subject,
              audience: key.audience,
              issuedAt: key.issuedAt.toISOString(),
              expires: key.expires.toISOString(),
            },
          }),
        };
      },
    },
  ];
}
