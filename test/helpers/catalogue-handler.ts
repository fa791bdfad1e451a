import type { HandlerResult, ReceivedRequest } from '../../src/testing/protocol-server.js';

/** Secrets used by the tests that look for leaks: none of these may ever appear in a log, hook or failure reason. */
export const SECRETS = {
  password: 'Pa55word-never-logged-7f3a',
  newPassword: 'New-Pa55word-never-logged-91c2',
  sessionToken: 'sessiontokenNEVERLOGGED0123456789abcdefghijk',
  refreshToken: 'refreshtokenNEVERLOGGED9876543210zyxwvutsrqp',
  apiKeyToken: 'apikeytknNEVERLOGGED5555555555aaaaaaaaaaaaaa',
} as const;

const NOW = '2026-11-29T03:00:00.000000';

/** The end user's address in the tests' bodies. */
export const IP = '203.0.113.7';

/** A read (`session-exists`) this handler answers with success. */
export const READ_BODY = { session_token: SECRETS.sessionToken, client_ipaddr: IP } as const;

/** A write (`session-new`) this handler answers with success. */
export const WRITE_BODY = {
  ip_address: IP,
  user_agent: 'test',
  user_id: null,
  expires: '2099-01-01T00:00:00.000000',
  extra_info_json: null,
  client_ipaddr: IP,
} as const;

/**
 * A small handler that answers a few catalogue request types with replies of the real shapes, for the
 * reliability and logging tests (the full in-memory authnzerver lives in src/testing).
 */
export function catalogueHandler(request: ReceivedRequest): HandlerResult {
  const body = request.body as Record<string, unknown>;
  switch (request.type) {
    case 'session-new':
      return {
        success: true,
        session_token: SECRETS.sessionToken,
        expires: NOW,
        messages: ['Generated session_token successfully. Session initiated.'],
      };
    case 'session-exists':
      return body.session_token === SECRETS.sessionToken
        ? {
            success: true,
            session_info: {
              user_id: 4,
              system_id: 'c6d8c2b5-0d6f-4c59-9c37-3f1b0b8a6f11',
              full_name: 'Alice',
              email: 'alice@example.com',
              extra_info: null,
              email_verified: true,
              emailverify_sent_datetime: null,
              is_active: true,
              last_login_try: null,
              last_login_success: null,
              created_on: NOW,
              user_role: 'authenticated',
              session_token: SECRETS.sessionToken,
              ip_address: '203.0.113.7',
              user_agent: 'test',
              created: NOW,
              expires: NOW,
              extra_info_json: null,
            },
            messages: ['Session look up successful.'],
          }
        : {
            success: false,
            session_info: null,
            failure_reason: 'session does not exist or expired',
            messages: ['Session look up failed.'],
          };
    case 'user-login':
      return body.password === SECRETS.password
        ? { success: true, user_id: 4, user_role: 'authenticated', messages: ['Login successful.'] }
        : {
            success: false,
            user_id: null,
            failure_reason: "user does not exist or password doesn't match",
            messages: ["Sorry, that user ID and password combination didn't work."],
          };
    case 'apikey-new-nosession':
      return {
        success: true,
        apikey: JSON.stringify({
          iss: 'test',
          ver: 1,
          uid: 4,
          rol: 'authenticated',
          aud: 'api',
          sub: '/x',
          ipa: '203.0.113.7',
          tkn: SECRETS.apiKeyToken,
          iat: NOW,
          nbf: NOW,
          exp: NOW,
        }),
        expires: NOW,
        refresh_token: SECRETS.refreshToken,
        refresh_token_expires: NOW,
        messages: ['API key generated successfully.'],
      };
    default:
      return { httpStatus: 400 };
  }
}
