/**
 * The example web app (examples/web/) in a real browser: Debian's chromium driven by playwright-core, once on
 * each framework the app runs on (Express, Fastify and Hono, through their `authnzerver/*` adapters). One user
 * walks the whole journey (sign up, verify the email from the outbox, a wrong password, log in, account page, an
 * API key used on the JSON API and revoked, a cross-origin form post, the auth server stopped and back, log out),
 * and the test checks what an attacker would try: the cookie's flags as the browser stored them, a cookie of the
 * attacker's own planted before log-in and replayed after it (fixation), the logged-out cookie replayed, and a form
 * posted from another local origin. The log-in form and a failed log-in make no session.
 *
 * HTTPS: the journey's app is served over TLS with a certificate from the throw-away PKI (test/helpers/pki.ts),
 * and chromium accepts that one key (`--ignore-certificate-errors-spki-list`), so the cookie is the production
 * one: `__Host-` and `Secure`. A second test serves the app over plain http on 127.0.0.1 and checks the
 * development cookie: no prefix, no `Secure`, the other flags the same.
 *
 * The auth server: the in-memory `createTestServer`, behind a TCP relay (./relay.ts) that the test stops and
 * starts again on the same port, so the app sees the server go away and come back with its state (the sessions).
 *
 * Without chromium the tests skip with the reason printed, unless AUTHNZERVER_REQUIRE_BROWSER is set (CI).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import {
  createServer as createHttpsServer,
  request as httpsRequest,
  type Server,
} from 'node:https';
import type { AddressInfo } from 'node:net';
import type {
  Browser,
  BrowserContext,
  Cookie,
  Page,
  Response as PlaywrightResponse,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type AuthnzerverTestServer } from 'authnzerver/testing';
import { memoryMailer, type MemoryMailer } from 'authnzerver/web';
import { createApp, FRAMEWORKS, type WebExample } from '../../examples/web/app.js';
import { makeTestPki, type TestPki } from '../helpers/pki.js';
import { browserRequired, findChromium, launchBrowser } from './browser.js';
import { startRelay, type Relay } from './relay.js';

const chromium = findChromium();
const STEP = 60_000;

if (!chromium.found && !browserRequired()) {
  console.warn(`test/browser/journey.test.ts: skipped: ${chromium.reason}`);
}

/** The answer to a request made outside the browser (to replay a cookie or use an API key). */
interface Reply {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookie: readonly string[];
  readonly body: string;
}

/** A GET to the app from Node, trusting the test CA: how an attacker replays a stolen cookie. */
function get(url: string, ca: Buffer, headers: Record<string, string>): Promise<Reply> {
  return send('GET', url, ca, headers);
}

/** A request to the app from Node, trusting the test CA, with an optional form body. */
function send(
  method: string,
  url: string,
  ca: Buffer,
  headers: Record<string, string>,
  form?: Record<string, string>,
): Promise<Reply> {
  const body = form === undefined ? undefined : new URLSearchParams(form).toString();
  const all =
    body === undefined
      ? headers
      : { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, ca, headers: all, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          setCookie: res.headers['set-cookie'] ?? [],
          body,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The app's session cookie as the browser stored it for the app's URL, if any. */
async function sessionCookie(context: BrowserContext, url: string): Promise<Cookie | undefined> {
  const cookies = await context.cookies(url);
  return cookies.find((cookie) => cookie.name.endsWith('azsession'));
}

/** A password the in-memory server's policy accepts, different for each run. */
function newPassword(): string {
  return `Quartz-Lantern-${randomBytes(6).toString('hex')}-7`;
}

/** A second local origin (another port): a page whose form posts itself to the app at once. */
async function startAttacker(
  pki: TestPki,
  target: string,
): Promise<{ url: string; server: Server }> {
  const server = createHttpsServer(
    { cert: readFileSync(pki.server.certFile), key: readFileSync(pki.server.keyFile) },
    (req, res) => {
      const path = new URL(req.url ?? '/', 'https://127.0.0.1').searchParams.get('to') ?? '/keys';
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html>
<html><body>
<form id="evil" method="post" action="${target}${path.replace(/^\//, '')}">
  <input type="hidden" name="note" value="from another origin" />
</form>
<script>document.getElementById('evil').submit();</script>
</body></html>`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}/`, server };
}

/** The text of the one element matching `selector`. */
async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent({ timeout: STEP })) ?? '';
}

/**
 * Submits the page's form (the button matching `selector`) and gives the response that ended the navigation:
 * the page the browser shows, after any redirect.
 */
async function submit(page: Page, selector: string): Promise<PlaywrightResponse> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (candidate) =>
        candidate.request().isNavigationRequest() &&
        candidate.frame() === page.mainFrame() &&
        (candidate.status() < 300 || candidate.status() >= 400),
      { timeout: STEP },
    ),
    page.click(selector, { timeout: STEP }),
  ]);
  await page.waitForLoadState('load', { timeout: STEP });
  return response;
}

describe.skipIf(!chromium.found && !browserRequired())('the example web app in chromium', () => {
  if (!chromium.found) {
    // AUTHNZERVER_REQUIRE_BROWSER is set: a missing browser is a failure, not a skip.
    it('has chromium', () => {
      expect.fail(`AUTHNZERVER_REQUIRE_BROWSER is set, but ${chromium.reason}`);
    });
    return;
  }
  const executablePath = chromium.path;
  let browser: Browser;
  let pki: TestPki;

  beforeAll(async () => {
    pki = makeTestPki();
    browser = await launchBrowser({ executablePath, trustCertFiles: [pki.server.certFile] });
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    pki.remove();
  }, 60_000);

  it.each(FRAMEWORKS)(
    'on %s: walks sign-up, verification, log-in, API keys and log-out over https, and refuses the attacks',
    async (framework) => {
      const ca = readFileSync(pki.caFile);
      const authServer: AuthnzerverTestServer = await createTestServer();
      const relay: Relay = await startRelay(authServer.port);
      const outbox: MemoryMailer = memoryMailer();
      const warnings: string[] = [];
      const app: WebExample = await createApp({
        framework,
        authnzerver: { url: relay.url, secret: authServer.secret },
        mailer: outbox,
        tls: { cert: readFileSync(pki.server.certFile), key: readFileSync(pki.server.keyFile) },
        warn: (message) => warnings.push(message),
      });
      const attacker = await startAttacker(pki, app.url);
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(STEP);
      page.setDefaultNavigationTimeout(STEP);
      const email = `ada-${randomBytes(4).toString('hex')}@example.com`;
      const password = newPassword();
      try {
        expect(app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);

        // Sign up: the server's messages are on the page.
        await page.goto(`${app.url}signup`);
        await page.fill('input[name=fullName]', 'Ada <b>Lovelace</b>');
        await page.fill('input[name=email]', email);
        await page.fill('input[name=password]', password);
        const signedUp = await submit(page, 'form[action="/signup"] button');
        expect(signedUp.status()).toBe(200);
        expect(await text(page, '#sent')).toContain(email);
        expect(await text(page, '.messages')).toContain(
          'User account created. Please verify your email address to log in.',
        );

        // Verify: the link from the in-memory outbox.
        const mail = outbox.lastTo(email);
        expect(mail?.link).toBeDefined();
        const link = mail?.link ?? '';
        expect(link.startsWith(`${app.origin}/verify-email?token=`)).toBe(true);
        expect(mail?.text).toContain(link);
        const verified = await page.goto(link);
        expect(verified?.status()).toBe(200);
        expect(await text(page, '#verified')).toContain(email);

        // The log-in form makes no session: no cookie (log-in makes the session it needs).
        const loginForm = await page.goto(`${app.url}login`);
        expect(loginForm?.status()).toBe(200);
        expect(loginForm?.headers()['content-security-policy']).toContain("default-src 'none'");
        expect(await loginForm?.headerValue('set-cookie')).toBeNull();
        expect(await sessionCookie(context, app.url)).toBeUndefined();

        // A wrong password: the server's message, never its failure reason; still no session.
        await page.fill('input[name=email]', email);
        await page.fill('input[name=password]', `${password}-wrong`);
        const refused = await submit(page, 'form[action="/login"] button');
        expect(refused.status()).toBe(401);
        expect(await text(page, '.messages')).toContain(
          "Sorry, that user ID and password combination didn't work.",
        );
        const refusedHtml = await page.content();
        expect(refusedHtml).not.toContain("password doesn't match");
        expect(refusedHtml).not.toContain('user does not exist');
        expect(refusedHtml).not.toContain(password);
        expect(await sessionCookie(context, app.url)).toBeUndefined();

        // Fixation: an attacker logs in with an account of their own, and plants that cookie in this browser while
        // the log-in form is open (the log-in must not keep it, nor let the attacker's session live on).
        await page.goto(`${app.url}login`);
        await page.fill('input[name=email]', email);
        await page.fill('input[name=password]', password);
        const mallory = `mallory-${randomBytes(4).toString('hex')}@example.com`;
        authServer.authnzerver.addUser({ email: mallory, password });
        const attackerLogin = await send(
          'POST',
          `${app.url}login`,
          ca,
          { origin: app.origin },
          { email: mallory, password },
        );
        expect(attackerLogin.status).toBe(303);
        const planted = /^__Host-azsession=([^;]+)/m.exec(attackerLogin.setCookie.join('\n'))?.[1];
        expect(planted).toBeDefined();
        await context.addCookies([
          {
            name: '__Host-azsession',
            value: planted ?? '',
            url: app.url,
            secure: true,
            httpOnly: true,
            sameSite: 'Lax',
          },
        ]);

        // Log in: the account page, and a new cookie value, with its flags as the browser stored them.
        const loggedIn = await submit(page, 'form[action="/login"] button');
        expect(loggedIn.status()).toBe(200);
        expect(page.url()).toBe(`${app.url}account`);
        expect((await text(page, '#email')).trim()).toBe(email);
        expect((await text(page, '#role')).trim()).toBe('authenticated');
        // The name is shown as text, never as markup (the server stores it HTML-escaped; the page escapes again).
        expect(await text(page, '#full-name')).toContain('Lovelace');
        expect(await page.locator('#full-name b').count()).toBe(0);
        const userId = Number(await page.locator('#user-id').textContent());
        expect(userId).toBeGreaterThan(3);
        const user = await sessionCookie(context, app.url);
        expect(user).toMatchObject({
          name: '__Host-azsession',
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
          path: '/',
          domain: '127.0.0.1', // a host-only cookie: no Domain attribute
        });
        expect(user?.expires).toBe(-1); // no "Remember me": a browser-session cookie
        expect(user?.value).not.toBe(planted);
        // HttpOnly: page scripts cannot read it.
        expect(String(await page.evaluate('document.cookie'))).not.toContain('azsession');
        const userCookie = `__Host-azsession=${user?.value ?? ''}`;

        // The planted cookie no longer works (the attacker's session ended with the log-in); the new one does.
        const withUserCookie = await get(`${app.url}account`, ca, { cookie: userCookie });
        expect(withUserCookie.status).toBe(200);
        expect(withUserCookie.body).toContain(email);
        const replayed = await get(`${app.url}account`, ca, {
          cookie: `__Host-azsession=${planted ?? ''}`,
        });
        expect(replayed.status).toBe(303);
        expect(replayed.location).toBe('/login');
        expect(replayed.body).not.toContain(email);
        expect(replayed.body).not.toContain(mallory);
        // The dead cookie is cleared.
        expect(replayed.setCookie.join('\n')).toMatch(/^__Host-azsession=;.*Max-Age=0/m);

        // An API key: created on the page, shown once, listed, and accepted by the JSON API.
        await page.goto(`${app.url}keys`);
        expect(await page.locator('#no-keys').count()).toBe(1);
        const created = await submit(page, '#create-key button');
        expect(created.status()).toBe(201);
        const apiKey = (await page.locator('#new-key-token').textContent())?.trim() ?? '';
        expect(apiKey.length).toBeGreaterThan(40);
        expect(await page.locator('#keys tr[data-key-id]').count()).toBe(1);
        const me = await get(`${app.url}api/me`, ca, { authorization: `Bearer ${apiKey}` });
        expect(me.status).toBe(200);
        expect(JSON.parse(me.body)).toMatchObject({
          userId,
          role: 'authenticated',
          via: 'apikey',
          key: { subject: '/api/', audience: app.origin },
        });
        // The API takes keys only: the browser's cookie is not enough, and a forged key is refused.
        expect((await get(`${app.url}api/me`, ca, { cookie: userCookie })).status).toBe(401);
        const forged = await get(`${app.url}api/me`, ca, {
          authorization: `Bearer ${apiKey.slice(0, -6)}AAAAAA`,
        });
        expect(forged.status).toBe(401);
        // A key is for its subject (/api/) only: not for the pages.
        const outside = await get(`${app.url}account`, ca, { authorization: `Bearer ${apiKey}` });
        expect(outside.status).toBe(403);
        expect(outside.body).not.toContain(email);
        // The key page does not show the key again.
        await page.goto(`${app.url}keys`);
        expect(await page.content()).not.toContain(apiKey);

        // A form posted from another local origin (same site, other port: the cookie is sent) is refused.
        for (const target of ['/keys', '/logout']) {
          const [crossOrigin] = await Promise.all([
            page.waitForResponse(
              (response) =>
                response.url() === `${app.url}${target.slice(1)}` &&
                response.request().method() === 'POST',
            ),
            // 'commit': the page posts its form while it loads, which would interrupt a wait for its load.
            page.goto(`${attacker.url}?to=${encodeURIComponent(target)}`, { waitUntil: 'commit' }),
          ]);
          // The browser sent the cookie (same site), and the other origin: the origin check refused it.
          const sent = await crossOrigin.request().allHeaders();
          expect(sent.cookie).toContain('__Host-azsession=');
          expect(sent.origin).toBe(attacker.url.replace(/\/$/, ''));
          expect(crossOrigin.status()).toBe(403);
          expect(await crossOrigin.text()).toContain('Reason: <code>csrf</code>');
        }
        // Nothing happened: still logged in, with the same cookie, and still one key.
        expect((await sessionCookie(context, app.url))?.value).toBe(user?.value);
        await page.goto(`${app.url}keys`);
        expect(await page.locator('#keys tr[data-key-id]').count()).toBe(1);

        // Revoke the key on the page: the API refuses it afterwards.
        const revoked = await submit(page, '#keys form button');
        expect(revoked.status()).toBe(200);
        expect(await page.locator('#keys .revoked').count()).toBe(1);
        expect(
          (await get(`${app.url}api/me`, ca, { authorization: `Bearer ${apiKey}` })).status,
        ).toBe(401);

        // The auth server goes away mid-session: 503, never logged in, never logged out.
        await page.goto(`${app.url}account`);
        await relay.stop();
        // The user, on the account page, clicks "Log out": it cannot be done, and nothing changes.
        const failedLogout = await submit(page, 'form[action="/logout"] button');
        expect(failedLogout.status()).toBe(503);
        expect((await sessionCookie(context, app.url))?.value).toBe(user?.value);
        const down = await page.goto(`${app.url}account`);
        expect(down?.status()).toBe(503);
        expect(await text(page, '#failure-code')).toContain('unavailable');
        expect(await page.content()).not.toContain(email);
        expect((await sessionCookie(context, app.url))?.value).toBe(user?.value);
        // It comes back at the same address with the same state: the user is still logged in.
        await relay.start();
        const back = await page.goto(`${app.url}account`);
        expect(back?.status()).toBe(200);
        expect((await text(page, '#email')).trim()).toBe(email);

        // Log out: the cookie is gone, and the old value is anonymous (no session) when replayed.
        const loggedOut = await submit(page, 'form[action="/logout"] button');
        expect(loggedOut.status()).toBe(200);
        expect(await text(page, '.messages')).toContain('You are logged out.');
        expect(await sessionCookie(context, app.url)).toBeUndefined();
        const afterLogout = await get(`${app.url}account`, ca, { cookie: userCookie });
        expect(afterLogout.status).toBe(303);
        expect(afterLogout.location).toBe('/login');
        expect(afterLogout.setCookie.join('\n')).toMatch(/^__Host-azsession=;.*Max-Age=0/m);
        const home = await get(app.url, ca, { cookie: userCookie });
        expect(home.status).toBe(200);
        expect(home.body).toContain('href="/login"');
        expect(home.body).not.toContain(email);

        // No secret reached the app's log.
        const log = warnings.join('\n');
        for (const secret of [password, apiKey, user?.value, planted])
          expect(log).not.toContain(secret);
      } finally {
        await context.close();
        await new Promise<void>((resolve) => attacker.server.close(() => resolve()));
        await app.close();
        await relay.stop();
        await authServer.close();
      }
    },
    120_000,
  );

  it.each(FRAMEWORKS)(
    'on %s: over plain http, sets the development cookie (no __Host-, no Secure) and answers only its own host names',
    async (framework) => {
      const app = await createApp({ framework, mailer: memoryMailer(), warn: () => undefined });
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const password = newPassword();
        app.embedded?.authnzerver.addUser({ email: 'ada@example.com', password });
        await page.goto(`${app.url}login`, { timeout: STEP });
        await page.fill('input[name=email]', 'ada@example.com');
        await page.fill('input[name=password]', password);
        const response = await submit(page, 'form[action="/login"] button');
        expect(response.status()).toBe(200);
        expect(app.url).toMatch(/^http:\/\//);
        const cookies = await context.cookies(app.url);
        expect(cookies.map((cookie) => cookie.name)).toEqual(['azsession']);
        expect(cookies[0]).toMatchObject({
          httpOnly: true,
          secure: false,
          sameSite: 'Lax',
          path: '/',
          domain: '127.0.0.1',
        });
        // Another host name (a site that rebinds its DNS name to 127.0.0.1) gets no page and no session.
        const rebound = await new Promise<{ status: number; cookies: number }>(
          (resolve, reject) => {
            httpGet(
              `${app.url}login`,
              { headers: { host: `rebound.example:${app.port}` }, agent: false },
              (res) => {
                res.resume();
                resolve({
                  status: res.statusCode ?? 0,
                  cookies: res.headers['set-cookie']?.length ?? 0,
                });
              },
            ).on('error', reject);
          },
        );
        expect(rebound).toEqual({ status: 400, cookies: 0 });
      } finally {
        await context.close();
        await app.close();
      }
    },
    60_000,
  );
});
