/**
 * The example web app over plain http on 127.0.0.1, in chromium on each framework: the development cookie (no
 * `__Host-` prefix, no `Secure`, the other flags as over https), and no answer for another host name (DNS
 * rebinding).
 */
import { get as httpGet } from 'node:http';
import { expect, it } from 'vitest';
import { memoryMailer } from 'authnzerver/web';
import { createApp, FRAMEWORKS } from '../../examples/web/app.js';
import { browserSuite, newPassword, STEP, submit } from './journey-kit.js';

browserSuite(
  'test/browser/plain-http.test.ts',
  'the example web app over http in chromium',
  (kit) => {
    it.each(FRAMEWORKS)(
      'on %s: over plain http, sets the development cookie (no __Host-, no Secure) and answers only its own host names',
      async (framework) => {
        const app = await createApp({ framework, mailer: memoryMailer(), warn: () => undefined });
        const context = await kit().browser.newContext();
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
  },
);
