/**
 * The SvelteKit example (examples/sveltekit) as users run it: a production build with @sveltejs/adapter-node
 * (built once, cached by the stamp of its sources and of the adapter's), served by each Node.js binary of
 * `nodeBinaries()`, walked in chromium: sign-up and the emailed verification link, the protected page sending a
 * visitor to the log-in form, log-in from a form action (the cookie written through `event.cookies` reaches the
 * browser with the action's redirect), the account page private and uncacheable, an API refusal as JSON,
 * log-out; a cross-site POST and a forged cookie refused.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cachedBuild, ROOT } from '../frameworks/cached-build.js';
import { nodeBinaries } from '../frameworks/node-versions.js';
import { request, startBuiltApp } from './built-app.js';
import { browserSuite, newPassword, STEP, submit } from './journey-kit.js';

const APP_DIR = join(ROOT, 'examples/sveltekit');
const OUT = join(ROOT, '.tmp/example-sveltekit');

function build(): void {
  cachedBuild({
    name: 'example-sveltekit',
    appDir: APP_DIR,
    extraInputs: [join(ROOT, 'src')],
    packages: ['@sveltejs/kit', '@sveltejs/adapter-node', 'svelte', 'vite'],
    outDir: OUT,
    command: [process.execPath, join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'],
    env: { EXAMPLE_OUT: join(OUT, 'build'), EXAMPLE_KIT_DIR: join(OUT, 'kit') },
  });
}

browserSuite(
  'test/browser/sveltekit-journey.test.ts',
  'the SvelteKit example in chromium',
  (kit) => {
    it.each(nodeBinaries().map((node) => [node.version, node] as const))(
      'on Node %s: sign-up, verify, log-in from a form action, protected page, log-out; cross-site POST and forged cookie refused',
      async (_version, node) => {
        build();
        const app = await startBuiltApp(node, { args: [join(OUT, 'build/index.js')], cwd: OUT });
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
          expect(account.headers.get('x-frame-options')).toBe('DENY'); // the app's own hook, in sequence()
          const me = await request(app, 'GET', '/api/me', { cookie, accept: 'application/json' });
          expect(await me.json()).toMatchObject({ email });
          const anonymousApi = await request(app, 'GET', '/api/me', { accept: 'application/json' });
          expect(anonymousApi.status).toBe(401);
          expect(await anonymousApi.json()).toMatchObject({ error: 'unauthenticated' });

          // A cross-site POST with the session cookie is refused, by the adapter (JSON body: SvelteKit's own
          // check covers only forms), and the user stays logged in.
          const crossSite = await request(
            app,
            'POST',
            '/logout',
            { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
            '{}',
          );
          expect(crossSite.status).toBe(403);
          expect(await crossSite.json()).toMatchObject({ error: 'csrf' });
          const crossSiteForm = await request(
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
          expect(crossSiteForm.status).toBe(403);
          expect((await request(app, 'GET', '/account', { cookie })).status).toBe(200);

          // A forged cookie is no session: the protected page sends it to the log-in form.
          const forged = await request(app, 'GET', '/account', {
            cookie: 'azsession=forged.value',
          });
          expect(forged.status).toBe(303);
          expect(forged.headers.get('location')).toBe('/login?next=%2Faccount');

          // Log-out from the form on every page: the cookie is cleared and the old one opens nothing.
          const response = await submit(page, '#logout');
          expect(response.status()).toBe(200);
          expect(await page.locator('#who').count()).toBe(0);
          expect(
            (await context.cookies(app.url)).find((c) => c.name === 'azsession'),
          ).toBeUndefined();
          expect((await request(app, 'GET', '/account', { cookie })).status).toBe(303);
        } finally {
          await context.close();
          await app.close();
        }
      },
      240_000,
    );
  },
);
