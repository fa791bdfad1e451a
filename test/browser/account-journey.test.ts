/**
 * The account flows of the example web app in chromium, on each framework, with a second browser (another
 * context, its own cookie jar) logged in as the same user: forgot password, the link from the outbox, reset, and
 * the second browser is logged out; change password, and the second browser is logged out while this one stays;
 * deleting the account asks for the password first (step-up), then every session is gone.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { FRAMEWORKS, type WebExample } from '../../examples/web/app.js';
import {
  browserSuite,
  confirmOnPage,
  logInOnPage,
  newEmail,
  newPage,
  newPassword,
  sessionCookie,
  startJourney,
  submit,
  text,
  type Journey,
} from './journey-kit.js';

/** Whether the page's browser is logged in: the account page, or the log-in page it is sent to. */
async function loggedIn(page: Page, app: WebExample): Promise<boolean> {
  await page.goto(`${app.url}account`);
  return new URL(page.url()).pathname === '/account';
}

/** Forgot password, the link, reset: the other browser's session ends. */
async function resetJourney(j: Journey, mine: Page, other: Page, email: string): Promise<string> {
  const { app, outbox } = j;
  // A user who forgot the password, in a fresh browser: the log-in page links to the form.
  await mine.context().clearCookies();
  await mine.goto(`${app.url}login`);
  await mine.click('a[href="/forgot-password"]');
  await mine.fill('#forgot input[name=email]', email);
  const asked = await submit(mine, '#forgot button');
  expect(asked.status()).toBe(200);
  expect(await text(mine, '#reset-sent')).toContain('If an active account has this address');
  // The mail is sent after the answer: wait for it in the outbox.
  await expect
    .poll(() => outbox.outbox.filter((m) => m.purpose === 'password-reset').length, {
      timeout: 30_000,
    })
    .toBe(1);
  const link = outbox.lastTo(email)?.link ?? '';
  expect(link.startsWith(`${app.origin}/reset-password?token=`)).toBe(true);
  await mine.goto(link);
  const fresh = newPassword();
  await mine.fill('#reset input[name=password]', fresh);
  const reset = await submit(mine, '#reset button');
  expect(reset.status()).toBe(200);
  expect(await text(mine, '.messages')).toContain('every session of your account has ended');
  expect(await loggedIn(other, app)).toBe(false);
  // The link again: refused, and the password stays the new one.
  await mine.goto(link);
  await mine.fill('#reset input[name=password]', newPassword());
  expect((await submit(mine, '#reset button')).status()).toBe(400);
  expect(await text(mine, '.messages')).toContain('not valid or has expired');
  return fresh;
}

/** Change password: this browser stays with a new cookie, the other one is logged out. */
async function changeJourney(
  j: Journey,
  mine: Page,
  other: Page,
  email: string,
  password: string,
): Promise<string> {
  const { app } = j;
  await logInOnPage(mine, app, email, password);
  await logInOnPage(other, app, email, password);
  const before = await sessionCookie(mine.context(), app.url);
  await mine.click('a[href="/account/password"]');
  const next = newPassword();
  await mine.fill('#change-password input[name=current]', password);
  await mine.fill('#change-password input[name=next]', next);
  const changed = await submit(mine, '#change-password button');
  expect(changed.status()).toBe(200);
  expect(await text(mine, '.messages')).toContain('logged out of all other sessions');
  const after = await sessionCookie(mine.context(), app.url);
  expect(after?.value).toBeDefined();
  expect(after?.value).not.toBe(before?.value);
  expect(await loggedIn(mine, app)).toBe(true);
  expect(await loggedIn(other, app)).toBe(false);
  return next;
}

/** Deleting the account: step-up first, then the password; every session ends. */
async function deleteJourney(
  j: Journey,
  mine: Page,
  other: Page,
  email: string,
  password: string,
): Promise<void> {
  const { app, authServer } = j;
  await logInOnPage(other, app, email, password);
  await mine.goto(`${app.url}account`);
  await mine.click('a[href="/account/delete"]');
  // Step-up: the password again before the delete form shows.
  expect(new URL(mine.url()).pathname).toBe('/confirm');
  const confirmed = await confirmOnPage(mine, password);
  expect(confirmed.status()).toBe(200);
  expect(new URL(mine.url()).pathname).toBe('/account/delete');
  await mine.fill('#delete-account input[name=password]', password);
  const deleted = await submit(mine, '#delete-account button');
  expect(deleted.status()).toBe(200);
  expect(await text(mine, '.messages')).toContain('Your account is deleted.');
  expect(await sessionCookie(mine.context(), app.url)).toBeUndefined();
  expect(await loggedIn(other, app)).toBe(false);
  expect(authServer.authnzerver.findUser(email)).toBeUndefined();
}

/** Two browsers logged in as one new user. */
async function twoBrowsers(
  browser: Browser,
  j: Journey,
  email: string,
  password: string,
): Promise<{ mine: Page; other: Page; close: () => Promise<void> }> {
  j.authServer.authnzerver.addUser({ email, password });
  const first = await browser.newContext();
  const second = await browser.newContext();
  const mine = await newPage(first);
  const other = await newPage(second);
  await logInOnPage(mine, j.app, email, password);
  await logInOnPage(other, j.app, email, password);
  return {
    mine,
    other,
    close: async () => {
      await first.close();
      await second.close();
    },
  };
}

browserSuite('test/browser/account-journey.test.ts', 'the account flows in chromium', (kit) => {
  it.each(FRAMEWORKS)(
    'on %s: reset and change password log the other browser out; deletion needs step-up',
    async (framework) => {
      const { browser, pki } = kit();
      const journey = await startJourney(framework, pki);
      const email = newEmail('grace');
      const browsers = await twoBrowsers(browser, journey, email, newPassword());
      try {
        const { mine, other } = browsers;
        const reset = await resetJourney(journey, mine, other, email);
        const changed = await changeJourney(journey, mine, other, email, reset);
        await deleteJourney(journey, mine, other, email, changed);
        const log = journey.warnings.join('\n');
        for (const secret of [reset, changed]) expect(log).not.toContain(secret);
      } finally {
        await browsers.close();
        await journey.close();
      }
    },
    120_000,
  );
});
