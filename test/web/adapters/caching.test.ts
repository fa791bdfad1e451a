/**
 * The caching rule in every adapter: no CDN or shared cache may serve one user's page to another. Every answer
 * varies on `Cookie` (and `Authorization`: the app takes API keys); a personal one (a session, a session cookie,
 * an API key, or a cookie set by the answer) is `Cache-Control: private, no-store`; a visitor's page keeps
 * whatever caching the app chose.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../apps.js';
import { adapterHarness, APP, type Reply } from '../helpers.js';

/** The `Vary` names of a reply, lower-cased. */
function vary(reply: Reply): string[] {
  return (reply.headers.get('vary') ?? '').split(',').map((name) => name.trim().toLowerCase());
}

function expectPersonal(reply: Reply): void {
  expect(reply.headers.get('cache-control')).toBe('private, no-store');
  expect(vary(reply)).toContain('cookie');
}

describe.each(FRAMEWORKS)('%s adapter: caching of personal answers', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it("a visitor's page varies on Cookie and Authorization but is not made private", async () => {
    const { d } = await h.start();
    const reply = await d.send('GET', '/whoami');
    expect(reply.status).toBe(200);
    expect(vary(reply)).toEqual(expect.arrayContaining(['cookie', 'authorization']));
    expect(reply.headers.get('cache-control') ?? '').not.toContain('private');
  });

  it('an answer that sets the session cookie, and every page seen with it, is private, no-store', async () => {
    const { env, d, jar } = await h.start();
    const anonymous = await d.send('GET', '/login');
    expect(anonymous.cookies).toHaveLength(1);
    expectPersonal(anonymous);
    jar.take(anonymous);
    expectPersonal(await d.send('GET', '/whoami', { headers: jar.header() }));

    const login = await h.logIn(d, jar, env);
    expectPersonal(login);
    const page = await d.send('GET', '/whoami', { headers: jar.header() });
    expect(page.json()['userId']).not.toBeNull();
    expectPersonal(page);

    const logout = await d.send('POST', '/logout', { headers: { ...jar.header(), origin: APP } });
    expect(logout.status).toBe(200);
    expectPersonal(logout);
  });

  it('a forged cookie, a refusal and an API-key answer are private too', async () => {
    const { env, d, jar } = await h.start();
    const forged = await d.send('GET', '/whoami', { headers: { cookie: `${jar.name}=forged` } });
    expectPersonal(forged);
    expectPersonal(await d.send('GET', '/api/data'));

    await h.logIn(d, jar, env);
    const issued = await d.send('POST', '/keys', { headers: { ...jar.header(), origin: APP } });
    const token = issued.json<{ value: { token: string } }>().value.token;
    const withKey = await d.send('GET', '/api/data', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withKey.status).toBe(200);
    expectPersonal(withKey);
    expect(vary(withKey)).toContain('authorization');
  });
});
