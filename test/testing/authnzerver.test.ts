import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, type ApiKeyPayload } from '../../src/index.js';
import {
  createTestServer,
  InMemoryAuthnzerver,
  ROLES,
  type AuthnzerverTestServer,
} from '../../src/testing/index.js';
import { record } from './helpers.js';

/**
 * The in-memory authnzerver beyond the recorded flows: its seeded users, seeding and inspection, token and
 * datetime formats, API keys, expiry on its clock, and the access rules of the default permissions model.
 */

const ip = '203.0.113.20';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/;
const start = Date.parse('2030-06-01T12:00:00Z');

describe('the seeded users', () => {
  it('are the real server’s three, with user 1 the configured superuser', () => {
    const memory = new InMemoryAuthnzerver({ admin: { email: 'root@example.com', password: 'x' } });
    const real = (record(47).raw_response!.response.user_info as Record<string, unknown>[]).slice(
      0,
      3,
    );
    const ours = memory.listUsers();
    const stable = (user: Record<string, unknown>) => ({
      user_id: user.user_id,
      full_name: user.full_name,
      email_verified: user.email_verified,
      is_active: user.is_active,
      user_role: user.user_role,
      extra_info: user.extra_info,
      keys: Object.keys(user),
    });
    expect(ours.map((u) => stable({ ...u }))).toEqual(
      real.map((u) => stable({ ...u, email: undefined })),
    );
    expect(ours.map((u) => u.email)).toEqual([
      'root@example.com',
      'anonuser@localhost',
      'dummyuser@localhost',
    ]);
    expect(memory.admin).toEqual({ email: 'root@example.com', password: 'x' });
  });

  it('default to admin@localhost with a random password', () => {
    const one = new InMemoryAuthnzerver();
    const two = new InMemoryAuthnzerver();
    expect(one.admin.email).toBe('admin@localhost');
    expect(one.admin.password).toMatch(/^[\w-]{20,}$/);
    expect(one.admin.password).not.toBe(two.admin.password);
    expect(ROLES).toEqual(['superuser', 'staff', 'authenticated', 'anonymous', 'locked']);
  });
});

let server: AuthnzerverTestServer;
let client: Authnzerver;
let clock = start;

async function session(userId: number | null, expires = '2099-01-01T00:00:00.000001') {
  const result = await client.sessionNew({
    ip_address: ip,
    user_agent: 'inspect',
    user_id: userId,
    expires,
    extra_info_json: null,
    client_ipaddr: ip,
  });
  if (!result.success) throw new Error(result.failureReason ?? 'no session');
  return result.response.session_token;
}

describe('seeding and inspection', () => {
  beforeAll(async () => {
    server = await createTestServer({ now: () => clock, rateLimits: false, loginBackoff: false });
    client = new Authnzerver({ url: server.url, secret: server.secret, retry: false });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  describe('users', users);
  describe('tokens, API keys and expiry', tokensKeysAndExpiry);
});

function users(): void {
  it('addUser makes a verified user who can log in at once, with the given role', async () => {
    const added = server.authnzerver.addUser({
      email: 'sam@example.com',
      password: 'Staff-Member-Pass-77',
      fullName: 'Sam Staff',
      role: 'staff',
    });
    expect([added.user_id, added.user_role, added.is_active, added.email_verified]).toEqual([
      4,
      'staff',
      true,
      true,
    ]);
    const login = await client.userLogin({
      session_token: await session(null),
      email: 'sam@example.com',
      password: 'Staff-Member-Pass-77',
      client_ipaddr: ip,
    });
    expect(login.success && login.response).toEqual({ user_id: 4, user_role: 'staff' });
    expect(server.authnzerver.findUser('sam@example.com')?.full_name).toBe('Sam Staff');
    expect(server.authnzerver.findUser(4)?.email).toBe('sam@example.com');
    expect(server.authnzerver.findUser('nobody@example.com')).toBeUndefined();
    expect(() => server.authnzerver.addUser({ email: 'sam@example.com', password: 'x' })).toThrow(
      /exists/,
    );
  });

  it('addUser with verified: false makes a fresh sign-up that cannot log in yet', async () => {
    const pending = server.authnzerver.addUser({
      email: 'pat@example.com',
      password: 'Pending-User-Pass-88',
      verified: false,
    });
    expect([pending.user_role, pending.is_active, pending.email_verified]).toEqual([
      'locked',
      false,
      false,
    ]);
    const login = await client.userLogin({
      session_token: await session(null),
      email: 'pat@example.com',
      password: 'Pending-User-Pass-88',
      client_ipaddr: ip,
    });
    expect(login.failureReason).toBe("user does not exist or password doesn't match");
  });
}

function tokensKeysAndExpiry(): void {
  it('issues url-safe tokens like the real server and naive UTC datetimes with microseconds', async () => {
    const token = await session(4, '2099-01-01T00:00:00.5Z');
    expect(token).toMatch(/^[\w-]{43}$/);
    const stored = server.authnzerver.listSessions().find((s) => s.session_token === token)!;
    expect(stored.expires).toBe('2099-01-01T00:00:00.500000');
    expect(stored.created).toMatch(ISO);
    for (const user of server.authnzerver.listUsers()) expect(user.created_on).toMatch(ISO);
  });

  it('issues API keys as JSON strings with the real claim keys, and deletes them with their session', async () => {
    const token = await session(4);
    const issued = await client.apikeyNew({
      issuer: 'tests',
      audience: 'api',
      subject: '/things',
      apiversion: 1,
      expires_days: 1,
      not_valid_before: 0,
      user_id: 4,
      user_role: 'staff',
      ip_address: ip,
      user_agent: 'inspect',
      session_token: token,
      client_ipaddr: ip,
    });
    if (!issued.success) throw new Error(issued.failureReason ?? '');
    const realKey = JSON.parse(record(104).raw_response!.response.apikey as string) as object;
    const key = JSON.parse(issued.response.apikey) as ApiKeyPayload;
    expect(Object.keys(key)).toEqual(Object.keys(realKey));
    // Python's json.dumps layout, as the real server sends it.
    expect(issued.response.apikey).toMatch(
      /^\{"iss": "tests", "ver": 1, "uid": 4, "rol": "staff", /,
    );
    expect(key.exp).toBe('2030-06-02T12:00:00');
    expect(server.authnzerver.listApiKeys()).toEqual([
      {
        kind: 'session',
        user_id: 4,
        user_role: 'staff',
        issued: '2030-06-01T12:00:00',
        expires: '2030-06-02T12:00:00',
        not_valid_before: '2030-06-01T12:00:00',
      },
    ]);
    clock += 1; // the key is valid only after its issue time
    const verify = () =>
      client.apikeyVerify({ apikey_dict: key, user_id: 4, user_role: 'staff', client_ipaddr: ip });
    expect((await verify()).success).toBe(true);
    await client.sessionDelete({ session_token: token, client_ipaddr: ip });
    expect(server.authnzerver.listApiKeys()).toEqual([]);
    expect((await verify()).failureReason).toBe(
      'key validation failed, provided key does not match stored key or has expired',
    );
  });

  it('expires sessions on its clock', async () => {
    const soon = new Date(clock + 60_000).toISOString().replace('Z', '000');
    const token = await session(4, soon);
    const exists = () => client.sessionExists({ session_token: token, client_ipaddr: ip });
    expect((await exists()).success).toBe(true);
    clock += 61_000;
    expect((await exists()).failureReason).toBe('session does not exist or expired');
  });
}

const ROLE_OF: Readonly<Record<number, string>> = {
  1: 'superuser',
  2: 'anonymous',
  3: 'locked',
  4: 'authenticated',
  5: 'staff',
};

// [who, action, item, owner, visibility, shared with, granted]
const table: readonly (readonly [
  number,
  string,
  string,
  number,
  string,
  string,
  boolean | string,
])[] = [
  [4, 'view', 'dataset', 4, 'private', '', true],
  [4, 'delete', 'dataset', 4, 'private', '', true],
  [4, 'view', 'dataset', 1, 'private', '', false],
  [4, 'view', 'dataset', 1, 'public', '', true],
  [4, 'edit', 'dataset', 1, 'public', '', false],
  [4, 'edit', 'dataset', 1, 'shared', '4', true],
  [4, 'edit', 'dataset', 1, 'shared', '5', false],
  [4, 'view', 'dataset', 1, 'shared', '2', true],
  [4, 'create', 'apikey', 4, 'private', '', true],
  [4, 'view', 'user', 1, 'private', '', false],
  [4, 'view', 'collection', 4, 'private', '', false],
  [5, 'list', 'dataset', 4, 'private', '', true],
  [5, 'view', 'dataset', 4, 'private', '', false],
  [5, 'edit', 'dataset', 4, 'unlisted', '', true],
  [5, 'list', 'user', 4, 'private', '', true],
  [1, 'delete', 'collection', 4, 'private', '', true],
  [1, 'change_owner', 'object', 5, 'shared', '', true],
  [2, 'view', 'dataset', 4, 'public', '', true],
  [2, 'view', 'dataset', 4, 'unlisted', '', true],
  [2, 'list', 'dataset', 4, 'unlisted', '', false],
  [2, 'create', 'dataset', 2, 'private', '', true],
  [2, 'create', 'apikey', 2, 'private', '', false],
  [3, 'view', 'dataset', 3, 'public', '', 'user initiating request is not valid'],
  [4, 'view', 'dataset', 3, 'public', '', 'users specified as owner or shared-with not found'],
  [4, 'view', 'dataset', 1, 'shared', '4,99', 'users specified as owner or shared-with not found'],
];

describe('user-check-access with the default permissions model', () => {
  let server: AuthnzerverTestServer;
  let client: Authnzerver;
  beforeAll(async () => {
    server = await createTestServer({ rateLimits: false });
    server.authnzerver.addUser({ email: 'ann@example.com', password: 'Ann-Pass-Word-1234' }); // 4
    server.authnzerver.addUser({
      email: 'sam@example.com',
      password: 'Sam-Pass-Word-1234',
      role: 'staff',
    }); // 5
    client = new Authnzerver({ url: server.url, secret: server.secret, retry: false });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it.each(table)(
    'user %i may %s a %s of user %i (%s, shared with "%s"): %s',
    async (who, action, item, owner, visibility, shared, granted) => {
      const result = await client.userCheckAccess({
        user_id: who,
        user_role: ROLE_OF[who]!,
        action,
        target_name: item,
        target_owner: owner,
        target_visibility: visibility,
        target_sharedwith: shared,
        client_ipaddr: ip,
      });
      if (typeof granted === 'string') {
        expect([result.success, result.failureReason]).toEqual([false, granted]);
        return;
      }
      expect(result.success).toBe(granted);
      expect(result.messages).toEqual([
        `Access request check successful. Access granted: ${granted ? 'True' : 'False'}.`,
      ]);
      if (!granted) expect(result.failureReason).toBe('action not permitted');
    },
  );

  it('refuses a role that does not match the user, as the server does', async () => {
    const result = await client.userCheckAccess({
      user_id: 4,
      user_role: 'superuser',
      action: 'view',
      target_name: 'dataset',
      target_owner: 4,
      target_visibility: 'private',
      target_sharedwith: '',
      client_ipaddr: ip,
    });
    expect(result.failureReason).toBe(record(62).raw_response!.failure_reason);
  });

  it('checks limits per role: max_requests is an exclusive upper bound', async () => {
    const check = (value: number) =>
      client.userCheckLimit({
        user_id: 4,
        user_role: 'authenticated',
        limit_name: 'max_requests',
        value_to_check: value,
        client_ipaddr: ip,
      });
    expect((await check(499_999)).success).toBe(true);
    expect((await check(500_000)).failureReason).toBe('user is over limit');
  });
});
