/**
 * The React Router example (examples/react-router) as users run it: the production build of `react-router build`
 * (built once, cached by the stamp of its sources and of the adapter's), served by React Router's own Node server
 * (`react-router-serve`) on each Node.js binary of `nodeBinaries()`, walked in chromium: sign-up and the emailed
 * verification link, the protected page sending a visitor to the log-in form, log-in from a form action (the
 * cookie the middleware adds to the action's response), the account page private and uncacheable, an API
 * refusal as JSON, log-out; a cross-site POST and a forged cookie refused.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cachedBuild, ROOT } from '../frameworks/cached-build.js';
import { nodeBinaries } from '../frameworks/node-versions.js';
import { request, startBuiltApp } from './built-app.js';
import { browserSuite, newPassword, STEP } from './journey-kit.js';

const APP_DIR = join(ROOT, 'examples/react-router');
const OUT = join(ROOT, '.tmp/example-react-router');

function build(): void {
  cachedBuild({
    name: 'example-react-router',
    appDir: APP_DIR,
    extraInputs: [join(ROOT, 'src')],
    packages: ['react-router', '@react-router/dev', 'react', 'react-dom', 'vite'],
    outDir: OUT,
    command: [process.execPath, join(ROOT, 'node_modules/@react-router/dev/bin.js'), 'build'],
    env: { EXAMPLE_OUT: join(OUT, 'build') },
  });
}

browserSuite(
  'test/browser/react-router-journey.test.ts',
  'the React Router example in chromium',
  (kit) => {
    it.each(nodeBinaries().map((node) => [node.version, node] as const))(
      'on Node %s: sign-up, verify, log-in from a form action, protected page, log-out; cross-site POST and forged cookie refused',
      async (_version, node) => {
        build();
        const app = await startBuiltApp(node, {
          args: [
            join(ROOT, 'node_modules/@react-router/serve/bin.js'),
            join(OUT, 'build/server/index.js'),
          ],
          cwd: OUT,
        });
        const context = await kit().browser.newContext();
        try {
          const page = await context.newPage();
          const email = `ada.${String(Date.now())}@example.com`;
          const password = newPassword();

          // Sign-up, and the verification link from the outbox.
          await page.goto(`${app.url}signup`, { timeout: STEP });
          await page.fill('input[name=fullName]', 'Ada Lovelace');
          await page.fill('input[name=email]', email);
          await page.fill('input[name=password]', password);
          await page.click('#signup', { timeout: STEP });
          await page.waitForSelector('#sent', { timeout: STEP });
          const mail = app.outbox().find((m) => m.to === email && m.purpose === 'verify-email');
          expect(mail?.link, app.output()).toMatch(
            /^http:\/\/127\.0\.0\.1:\d+\/verify-email\?token=/,
          );
          await page.goto(mail?.link ?? '', { timeout: STEP });
          expect(await page.textContent('#verified', { timeout: STEP })).toContain(email);

          // The protected page sends a visitor to the log-in form, and back after it.
          await page.goto(`${app.url}account`, { timeout: STEP });
          expect(new URL(page.url()).pathname).toBe('/login');
          expect(new URL(page.url()).searchParams.get('next')).toBe('/account');
          await page.fill('input[name=email]', email);
          await page.fill('input[name=password]', password);
          await page.click('#login', { timeout: STEP });
          await page.waitForSelector('#account', { timeout: STEP });
          expect(new URL(page.url()).pathname).toBe('/account');
          expect(await page.textContent('#account')).toContain(email);
          const cookies = await context.cookies(app.url);
          const session = cookies.find((c) => c.name === 'azsession');
          expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
          const cookie = `azsession=${session?.value ?? ''}`;

          // The account page is private and never cached; the guard's refusal to an API client is JSON.
          const account = await request(app, 'GET', '/account', { cookie });
          expect(account.status).toBe(200);
          expect(account.headers.get('cache-control')).toBe('private, no-store');
          expect(account.headers.get('vary')?.toLowerCase()).toContain('cookie');
          const me = await request(app, 'GET', '/api/me', { cookie, accept: 'application/json' });
          expect(await me.json()).toMatchObject({ email });
          const anonymousApi = await request(app, 'GET', '/api/me', { accept: 'application/json' });
          expect(anonymousApi.status).toBe(401);
          expect(await anonymousApi.json()).toMatchObject({ error: 'unauthenticated' });

          // A cross-site POST with the session cookie is refused and the user stays logged in. React Router 7.18
          // checks a page action's Origin itself (400 Bad Request) before the middleware runs; a resource route
          // (no such check) gets the adapter's refusal (403).
          const crossSite = await request(
            app,
            'POST',
            '/logout',
            {
              cookie,
              origin: 'https://evil.example',
              'content-type': 'application/x-www-form-urlencoded',
            },
            '',
          );
          expect(crossSite.status).toBe(400);
          const crossSiteApi = await request(
            app,
            'POST',
            '/api/me',
            { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
            '{}',
          );
          expect(crossSiteApi.status).toBe(403);
          expect(await crossSiteApi.json()).toMatchObject({ error: 'csrf' });
          expect((await request(app, 'GET', '/account', { cookie })).status).toBe(200);

          // A forged cookie is no session: the protected page sends it to the log-in form.
          const forged = await request(app, 'GET', '/account', {
            cookie: 'azsession=forged.value',
          });
          expect(forged.status).toBe(302);
          expect(forged.headers.get('location')).toBe('/login?next=%2Faccount');

          // Log-out from the form on every page: the cookie is cleared and the old one opens nothing.
          await page.click('#logout', { timeout: STEP });
          await page.waitForSelector('#who', { state: 'detached', timeout: STEP });
          expect(
            (await context.cookies(app.url)).find((c) => c.name === 'azsession'),
          ).toBeUndefined();
          expect((await request(app, 'GET', '/account', { cookie })).status).toBe(302);
        } finally {
          await context.close();
          await app.close();
        }
      },
      240_000,
    );
  },
);
