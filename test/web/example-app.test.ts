/**
 * The example web app (examples/web/) as a crawler, an attacker and a careless client meet it, on each framework,
 * over real HTTP on the embedded in-memory authnzerver: 1,000 cookie-less GETs of every page make no server
 * session, an oversized form gets a 413 page (JSON under /api/), and a password, email or name past the auth
 * server's limits is refused with a message that names it before anything is sent.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryMailer } from 'authnzerver/web';
import { createApp, FRAMEWORKS, type WebExample } from '../../examples/web/app.js';

/** Every page of the example that a GET reaches, with the status a visitor without a cookie gets. */
const PAGES: readonly [string, number][] = [
  ['/', 200],
  ['/signup', 200],
  ['/login', 200],
  ['/verify-email', 400],
  ['/verify-email?token=gAAAAABnot-a-token', 400],
  ['/account', 303],
  ['/keys', 303],
  ['/forgot-password', 200],
  ['/reset-password?token=x', 200],
  ['/resend-verification', 200],
  ['/confirm', 303],
  ['/confirm-email?token=x', 400],
  ['/account/password', 303],
  ['/account/profile', 303],
  ['/account/delete', 303],
  ['/api/me', 401],
  ['/style.css', 200],
  ['/no-such-page', 404],
];

const ROUNDS = 1000;

/**
 * A POST of a large form with node:http, which gives the answer even when the server answers before it has read
 * the body (as a body-size check on `Content-Length` does) and closes the connection while the body is sent.
 */
function postLarge(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', text });
      });
    });
    // The upload may be cut short once the answer is in: only an error before any answer fails the call.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

describe.each(FRAMEWORKS)('the example app on %s', (framework) => {
  let app: WebExample | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(): Promise<WebExample> {
    app = await createApp({ framework, mailer: memoryMailer(), warn: () => undefined });
    return app;
  }

  function post(
    a: WebExample,
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(`${a.origin}${path}`, {
      method: 'POST',
      headers: {
        origin: a.origin,
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
  }

  it(`makes no server session for ${ROUNDS} cookie-less GETs of every page from one IP`, async () => {
    const a = await start();
    const server = a.embedded;
    if (server === undefined) throw new Error('no embedded server');
    for (const [path, status] of PAGES) {
      const first = await fetch(`${a.origin}${path}`, { redirect: 'manual' });
      expect(first.status, path).toBe(status);
      expect(first.headers.getSetCookie(), path).toEqual([]);
      await first.arrayBuffer();
      for (let i = 1; i < ROUNDS; i += 50) {
        const replies = await Promise.all(
          Array.from({ length: Math.min(50, ROUNDS - i) }, () =>
            fetch(`${a.origin}${path}`, { redirect: 'manual' }).then(async (r) => {
              await r.arrayBuffer();
              return r.headers.getSetCookie().length;
            }),
          ),
        );
        expect(replies.every((n) => n === 0)).toBe(true);
      }
    }
    expect(server.authnzerver.listSessions()).toEqual([]);
    expect(server.received.filter((r) => r.type === 'session-new')).toEqual([]);
  }, 120_000);

  it('answers an oversized form with a 413 page, and JSON under /api/', async () => {
    const a = await start();
    const big = (form: Record<string, string>) => new URLSearchParams(form).toString();
    const headers = { origin: a.origin, 'content-type': 'application/x-www-form-urlencoded' };
    const password = await postLarge(
      `${a.origin}/signup`,
      headers,
      big({ fullName: 'Ada', email: 'a@example.com', password: 'x'.repeat(1024 * 1024) }),
    );
    expect(password.status).toBe(413);
    expect(password.type).toMatch(/^text\/html/);
    expect(password.text).toContain('too-large');
    expect(password.text).toContain('at most 16 KiB');
    const name = await postLarge(
      `${a.origin}/signup`,
      headers,
      big({ fullName: 'n'.repeat(100 * 1024), email: 'a@example.com', password: 'a good one 42' }),
    );
    expect(name.status).toBe(413);
    const api = await postLarge(`${a.origin}/api/me`, headers, big({ data: 'x'.repeat(1 << 20) }));
    expect(api.status).toBe(413);
    expect(JSON.parse(api.text)).toMatchObject({ error: 'too-large' });
    expect(a.embedded?.received ?? []).toEqual([]);
  });

  it('refuses a password, email or name past the auth server limits by name, and sends nothing', async () => {
    const a = await start();
    const good = {
      fullName: 'Ada',
      email: 'ada@example.com',
      password: 'correct horse battery 42',
    };
    for (const [field, value, says] of [
      ['password', 'p'.repeat(257), 'password must be at most 256 characters'],
      ['email', `${'e'.repeat(281)}@example.com`, 'email must be at most 280 characters'],
      ['fullName', 'n'.repeat(281), 'fullName must be at most 280 characters'],
    ] as const) {
      const reply = await post(a, '/signup', { ...good, [field]: value });
      expect(reply.status, field).toBe(400);
      expect(await reply.text()).toContain(says);
    }
    const login = await post(a, '/login', { email: 'ada@example.com', password: 'p'.repeat(300) });
    expect(login.status).toBe(400);
    expect(await login.text()).toContain('password must be at most 256 characters');
    expect(a.embedded?.received ?? []).toEqual([]);
  });
});
