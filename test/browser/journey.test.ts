/**
 * The example web app (examples/web/) in a real browser: Debian's chromium driven by playwright-core, once on
 * each framework the app runs on (Express, Fastify and Hono, through their `authnzerver/*` adapters). One user
 * walks the whole journey (sign up, verify the email from the outbox, a wrong password, log in, account page, an
 * API key made after a password confirmation, used on the JSON API and revoked, a cross-origin form post, the
 * auth server stopped and back, log out), and the test checks what an attacker would try: the cookie's flags as
 * the browser stored them, a cookie of the attacker's own planted before log-in and replayed after it (fixation),
 * the logged-out cookie replayed, and a form posted from another local origin. The log-in form and a failed
 * log-in make no session. The account flows are in account-journey.test.ts, plain http in plain-http.test.ts.
 *
 * HTTPS: the app is served over TLS with a certificate from the throw-away PKI (test/helpers/pki.ts), and chromium
 * accepts that one key (`--ignore-certificate-errors-spki-list`), so the cookie is the production one: `__Host-`
 * and `Secure`. The auth server is the in-memory `createTestServer`, behind a TCP relay (./relay.ts) that the test
 * stops and starts again on the same port, so the app sees the server go away and come back with its state.
 */
import type { BrowserContext, Cookie, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { FRAMEWORKS } from '../../examples/web/app.js';
import {
  browserSuite,
  confirmOnPage,
  get,
  newEmail,
  newPage,
  newPassword,
  send,
  sessionCookie,
  startAttacker,
  startJourney,
  submit,
  text,
  type Journey,
} from './journey-kit.js';

/** One walk: the journey's app, the browser page, the user, and the attacker's page. */
interface Walk extends Journey {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly email: string;
  readonly password: string;
  readonly attacker: { readonly url: string };
}

/** What the log-in gave: the user's id and cookie, and the attacker's planted cookie. */
interface LoggedIn {
  readonly userId: number;
  readonly user: Cookie | undefined;
  readonly userCookie: string;
  readonly planted: string | undefined;
}

/** Sign-up and the verification link. */
async function signUpAndVerify(j: Walk): Promise<void> {
  const { app, page, outbox, email, password } = j;
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
}

/** The log-in form and a refused log-in make no session. */
async function refusedLogIn(j: Walk): Promise<void> {
  const { app, page, context, email, password } = j;
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
}

/** An attacker plants a cookie; the log-in replaces it. */
async function fixationAndLogIn(j: Walk): Promise<LoggedIn> {
  const { app, page, context, ca, authServer, email, password } = j;
  // Fixation: an attacker logs in with an account of their own, and plants that cookie in this browser while
  // the log-in form is open (the log-in must not keep it, nor let the attacker's session live on).
  await page.goto(`${app.url}login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  const mallory = newEmail('mallory');
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

  return { userId, user, userCookie, planted };
}

/** An API key, made after step-up, used on the API and refused elsewhere. */
async function apiKeys(j: Walk, s: LoggedIn): Promise<string> {
  const { app, page, ca, email, password } = j;
  const { userId, userCookie } = s;
  // An API key: created on the page, shown once, listed, and accepted by the JSON API.
  await page.goto(`${app.url}keys`);
  expect(await page.locator('#no-keys').count()).toBe(1);
  // Making a key needs the password again (step-up): the app sends the user to confirm it first.
  const stepUp = await submit(page, '#create-key button');
  expect(stepUp.status(), j.warnings.join('\n')).toBe(200);
  const confirmed = await confirmOnPage(page, password);
  expect(confirmed.status()).toBe(200);
  expect(page.url()).toBe(`${app.url}keys`);
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

  return apiKey;
}

/** Forms posted from another local origin are refused. */
async function crossOrigin(j: Walk, s: LoggedIn): Promise<void> {
  const { app, page, context, attacker } = j;
  const { user } = s;
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
}

/** Revoking the key, and the auth server down and back. */
async function revokeAndOutage(j: Walk, s: LoggedIn, apiKey: string): Promise<void> {
  const { app, page, context, ca, relay, email } = j;
  const { user } = s;
  // Revoke the key on the page: the API refuses it afterwards.
  const revoked = await submit(page, '#keys form button');
  expect(revoked.status()).toBe(200);
  expect(await page.locator('#keys .revoked').count()).toBe(1);
  expect((await get(`${app.url}api/me`, ca, { authorization: `Bearer ${apiKey}` })).status).toBe(
    401,
  );

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
}

/** Log-out, and no secret in the log. */
async function logOut(j: Walk, s: LoggedIn, apiKey: string): Promise<void> {
  const { app, page, context, ca, email, password } = j;
  const { user, userCookie, planted } = s;
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
  const log = j.warnings.join('\n');
  for (const secret of [password, apiKey, user?.value, planted]) expect(log).not.toContain(secret);
}

browserSuite('test/browser/journey.test.ts', 'the example web app in chromium', (kit) => {
  it.each(FRAMEWORKS)(
    'on %s: walks sign-up, verification, log-in, API keys and log-out over https, and refuses the attacks',
    async (framework) => {
      const { browser, pki } = kit();
      const journey = await startJourney(framework, pki);
      const attacker = await startAttacker(pki, journey.app.url);
      const context = await browser.newContext();
      const page = await newPage(context);
      const j: Walk = {
        ...journey,
        page,
        context,
        email: newEmail('ada'),
        password: newPassword(),
        attacker,
      };
      try {
        expect(journey.app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
        await signUpAndVerify(j);
        await refusedLogIn(j);
        const s = await fixationAndLogIn(j);
        const apiKey = await apiKeys(j, s);
        await crossOrigin(j, s);
        await revokeAndOutage(j, s, apiKey);
        await logOut(j, s, apiKey);
      } finally {
        await context.close();
        await new Promise<void>((resolve) => attacker.server.close(() => resolve()));
        await journey.close();
      }
    },
    120_000,
  );
});
