/**
 * Remember-me in a real browser: the example web app (examples/web/) in Debian's chromium, driven by
 * playwright-core, once on each framework (Express, Fastify, Hono). One browser context logs in with "Remember me"
 * ticked and gets a persistent cookie (its expiry, as the browser's cookie jar holds it, 30 days out); another
 * logs in without it and gets a browser-session cookie (no expiry: the jar says -1), which the browser drops when
 * it closes. The session data demo (`/preferences`) then shows that one session's data is not another's.
 *
 * Without chromium the test skips with the reason printed, unless AUTHNZERVER_REQUIRE_BROWSER is set (CI).
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from 'authnzerver/web';
import { createApp, FRAMEWORKS, type WebExample } from '../../examples/web/app.js';
import { browserRequired, findChromium, launchBrowser } from './browser.js';
import { STEP, submit } from './journey-kit.js';

const chromium = findChromium();
const DAY = 86_400;

if (!chromium.found && !browserRequired()) {
  console.warn(`test/browser/remember-me.test.ts: skipped: ${chromium.reason}`);
}

/** Logs in through the app's form in a new context, with "Remember me" ticked or not. */
async function logIn(
  browser: Browser,
  app: WebExample,
  email: string,
  password: string,
  remember: boolean,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(STEP);
  await page.goto(`${app.url}login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  if (remember) await page.check('#remember');
  const response = await submit(page, 'form[action="/login"] button');
  expect(response.status()).toBe(200);
  expect(page.url()).toBe(`${app.url}account`);
  return { context, page };
}

describe.skipIf(!chromium.found && !browserRequired())('remember-me in chromium', () => {
  if (!chromium.found) {
    it('has chromium', () => {
      expect.fail(`AUTHNZERVER_REQUIRE_BROWSER is set, but ${chromium.reason}`);
    });
    return;
  }
  const executablePath = chromium.path;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser({ executablePath });
  }, 180_000);

  afterAll(async () => {
    await browser.close();
  }, 60_000);

  it.each(FRAMEWORKS)(
    'on %s: a remembered log-in keeps a 30-day cookie; an ordinary one a browser-session cookie',
    async (framework) => {
      const app = await createApp({ framework, mailer: memoryMailer(), warn: () => undefined });
      const password = `Quartz-Lantern-${randomBytes(6).toString('hex')}-7`;
      const email = 'ada@example.com';
      app.embedded?.authnzerver.addUser({ email, password });
      const opened: BrowserContext[] = [];
      try {
        const remembered = await logIn(browser, app, email, password, true);
        opened.push(remembered.context);
        const ordinary = await logIn(browser, app, email, password, false);
        opened.push(ordinary.context);

        const [kept] = await remembered.context.cookies(app.url);
        expect(kept?.name).toBe('azsession');
        const now = Date.now() / 1000;
        expect(kept?.expires).toBeGreaterThan(now + 30 * DAY - 120);
        expect(kept?.expires).toBeLessThanOrEqual(now + 30 * DAY + 1);
        const [session] = await ordinary.context.cookies(app.url);
        expect(session?.name).toBe('azsession');
        expect(session?.expires).toBe(-1); // a session cookie: no Expires, no Max-Age
        expect(session?.httpOnly).toBe(true);
        expect(session?.value).not.toBe(kept?.value);

        // Session data: the theme saved in one session is not in the other, though the user is the same.
        await remembered.page.goto(`${app.url}preferences`);
        await remembered.page.check('input[name=theme][value=dark]');
        const saved = await submit(remembered.page, 'form[action="/preferences"] button');
        expect(saved.status()).toBe(200);
        expect(await remembered.page.locator('#theme').textContent()).toBe('dark');
        await ordinary.page.goto(`${app.url}preferences`);
        expect(await ordinary.page.locator('#theme').textContent()).toBe('light');
      } finally {
        for (const context of opened) await context.close();
        await app.close();
      }
    },
    120_000,
  );
});
