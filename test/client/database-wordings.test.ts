/**
 * Every wording of authnzerver's `failure_reason` for a database that failed under the request is the
 * `database-error` kind: a read is sent again, a write is not, and the web layer answers 503 keeping the cookie.
 * The wordings are the server's (its source, and a PostgreSQL restart under load on a three-server fleet,
 * docs/deployment.md); a wording a refusal shares stays `rejected`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { isDatabaseFailure } from '../../src/core/result.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';

const IP = '203.0.113.9';

const DATABASE_WORDINGS = [
  'DB error when retrieving session info',
  'DB error when making new session',
  'DB issue with user creation',
  'exception when checking the DB',
  'database broken',
];

const REFUSALS = [
  'exception in DB access', // also a look-up by a column that does not exist: not transient
  'password update failed in DB',
  'user not allowed to issue API key',
  'user exists',
  'session expired',
  'DBerror',
  'the DB error',
];

describe('the database wordings', () => {
  it('are each a database failure; refusals and look-alikes are not', () => {
    for (const wording of DATABASE_WORDINGS) expect(isDatabaseFailure(wording), wording).toBe(true);
    for (const wording of REFUSALS) expect(isDatabaseFailure(wording), wording).toBe(false);
    expect(isDatabaseFailure(null)).toBe(false);
  });

  describe('over the wire', () => {
    let server: AuthnzerverTestServer;
    let reason = DATABASE_WORDINGS[0] as string;
    let sessionCalls = 0;

    beforeAll(async () => {
      server = await createTestServer({
        rateLimits: false,
        handlers: {
          sessionExists: () => {
            sessionCalls += 1;
            return {
              success: false,
              session_info: null,
              failure_reason: reason,
              messages: ['Session could not be found.'],
            };
          },
          userNew: () => ({
            success: false,
            user_email: null,
            user_id: null,
            send_verification: false,
            failure_reason: reason,
            messages: ['User account created. Please verify your email address to log in.'],
          }),
        },
      });
    });
    afterAll(async () => {
      await server.close();
    });

    it('a read in each wording is database-error and sent again; a write is sent once', async () => {
      const client = new Authnzerver({
        url: server.url,
        secret: server.secret,
        retry: { backoff: 1 },
      });
      try {
        for (const wording of DATABASE_WORDINGS) {
          reason = wording;
          sessionCalls = 0;
          const read = await client.sessionExists({
            session_token: 'x'.repeat(43),
            client_ipaddr: IP,
          });
          expect(read.success).toBe(false);
          expect(read.failure, wording).toBe('database-error');
          expect(sessionCalls, wording).toBe(3);
          const write = await client.userNew({
            email: 'new@example.com',
            full_name: 'New',
            password: 'a long passphrase 1234',
            client_ipaddr: IP,
          });
          expect(write.failure, wording).toBe('database-error');
          expect(write.attempts, wording).toBe(1);
        }
        reason = 'password update failed in DB';
        const refused = await client.sessionExists({
          session_token: 'x'.repeat(43),
          client_ipaddr: IP,
        });
        expect(refused.failure).toBe('rejected');
      } finally {
        await client.close();
      }
    });
  });
});
