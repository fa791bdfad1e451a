/**
 * A web journey that runs inside another runtime (Workers, the edge runtime, Bun, Deno): a Hono app with the
 * adapter over the web core, driven with `app.request()` against the test server at `url`. It reports what it
 * saw, for `runtimes.test.ts` to check: cookie flags and signing (WebCrypto HMAC), log-in replacing the token,
 * CSRF, the client IP (and through trusted proxies, which ipaddr.js resolves), an API key sealed and opened with
 * WebFernet, and log-out.
 */
import { Hono } from 'hono';
import { Authnzerver } from '../../src/index.js';
import { authnzerver, requireUser, type AuthEnv } from '../../src/web/adapters/hono.js';
import { createWebAuth, memoryMailer } from '../../src/web/index.js';

/** What the test server and the user are. */
export interface JourneyInput {
  readonly url: string;
  readonly secret: string;
  readonly email: string;
  readonly password: string;
  readonly apiKeySecret: string;
}

/** What the journey saw. */
export interface JourneyReport {
  readonly firstCookie: string;
  readonly loginStatus: number;
  readonly tokenReplaced: boolean;
  readonly oldCookieSession: string;
  readonly me: { session: string; clientIp: string; via: string | null };
  readonly forgedSession: string;
  readonly csrfStatus: number;
  readonly apiKeyStatus: number;
  readonly apiKeyVia: string | null;
  readonly logoutCookie: string;
  readonly afterLogoutSession: string;
  /** The client IPs that `trustProxy` lists resolve from a socket address and `X-Forwarded-For`. */
  readonly proxiedIps: readonly string[];
}

const APP = 'https://app.test';

/** Runs the journey. */
export async function journey(input: JourneyInput): Promise<JourneyReport> {
  const client = new Authnzerver({ url: input.url, secret: input.secret });
  const auth = createWebAuth({
    client,
    origin: APP,
    cookie: { signingSecret: 'a cookie signing secret of 32 bytes or more' },
    apiKeys: { secret: input.apiKeySecret },
    mailer: memoryMailer(),
  });
  const app = new Hono<AuthEnv>();
  app.use(authnzerver(auth));
  const who = (c: { get(key: 'auth'): AuthEnv['Variables']['auth'] }) => {
    const a = c.get('auth');
    return { session: a.session.kind, clientIp: a.clientIp, via: a.user?.via ?? null };
  };
  app.get('/login', async (c) => {
    await c.get('auth').ensureSession();
    return c.text('form');
  });
  app.post('/login', async (c) => {
    const body = await c.req.json<{ email: string; password: string }>();
    const r = await c.get('auth').login(body.email, body.password);
    return c.json({ ok: r.ok }, r.ok ? 200 : r.failure.status);
  });
  app.post('/logout', async (c) => {
    const r = await c.get('auth').logout();
    return c.json({ ok: r.ok }, r.ok ? 200 : r.failure.status);
  });
  app.post('/keys', async (c) => {
    const r = await c.get('auth').issueApiKey();
    return r.ok ? c.json({ token: r.value.token }) : c.json({}, r.failure.status);
  });
  app.get('/whoami', (c) => c.json(who(c)));
  app.post('/whoami', (c) => c.json(who(c)));
  app.get('/api/me', requireUser(), (c) => c.json(who(c)));

  const cookieOf = (response: Response): string =>
    (response.headers.getSetCookie().find((v) => v.startsWith('__Host-azsession=')) ?? '').split(
      ';',
    )[0] ?? '';
  try {
    const first = await app.request(`${APP}/login`);
    const firstSet = first.headers.getSetCookie()[0] ?? '';
    const anon = cookieOf(first);
    const login = await app.request(`${APP}/login`, {
      method: 'POST',
      headers: { cookie: anon, origin: APP, 'content-type': 'application/json' },
      body: JSON.stringify({ email: input.email, password: input.password }),
    });
    const user = cookieOf(login);
    const old = await app.request(`${APP}/whoami`, { headers: { cookie: anon } });
    const me = await app.request(`${APP}/whoami`, {
      headers: { cookie: user, 'x-forwarded-for': '203.0.113.7' },
    });
    const [name, value] = user.split('=') as [string, string];
    const forged = await app.request(`${APP}/whoami`, {
      headers: { cookie: `${name}=${value.replace(/\.[^.]+$/, '.AAAA')}` },
    });
    const csrf = await app.request(`${APP}/whoami`, {
      method: 'POST',
      headers: { cookie: user, origin: 'https://evil.test' },
    });
    const keys = await app.request(`${APP}/keys`, {
      method: 'POST',
      headers: { cookie: user, origin: APP },
    });
    const { token } = (await keys.json()) as { token: string };
    const api = await app.request(`${APP}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const logout = await app.request(`${APP}/logout`, {
      method: 'POST',
      headers: { cookie: user, origin: APP },
    });
    const after = await app.request(`${APP}/whoami`, { headers: { cookie: user } });
    const proxied = async (
      trustProxy: readonly string[],
      remoteAddress: string,
      forwardedFor: string,
    ): Promise<string> => {
      const result = await createWebAuth({ client, origin: APP, trustProxy }).authenticate(
        new Request(`${APP}/`, { headers: { 'x-forwarded-for': forwardedFor } }),
        { remoteAddress },
      );
      return result.ok ? result.context.clientIp : `refused: ${result.failure.code}`;
    };
    const proxiedIps = [
      await proxied(
        ['loopback', 'private', '2001:db8::/32'],
        '::ffff:127.0.0.1',
        '198.51.100.1, 203.0.113.7, 2001:DB8::5, ::ffff:10.0.0.5',
      ),
      await proxied(['linklocal'], 'fe80::1%eth0', '2001:DB8:0:0::A'),
    ];
    return {
      firstCookie: firstSet
        .replace(/=[^;]*/, '=<value>')
        .replace(/Expires=[^;]*/, 'Expires=<date>')
        .replace(/Max-Age=\d+/, 'Max-Age=<n>'),
      loginStatus: login.status,
      tokenReplaced: user !== '' && user !== anon,
      oldCookieSession: ((await old.json()) as { session: string }).session,
      me: (await me.json()) as JourneyReport['me'],
      forgedSession: ((await forged.json()) as { session: string }).session,
      csrfStatus: csrf.status,
      apiKeyStatus: api.status,
      apiKeyVia: ((await api.json()) as { via: string | null }).via,
      logoutCookie: (logout.headers.getSetCookie()[0] ?? '').replace(
        /Expires=[^;]*/,
        'Expires=<date>',
      ),
      afterLogoutSession: ((await after.json()) as { session: string }).session,
      proxiedIps,
    };
  } finally {
    await client.close();
  }
}
