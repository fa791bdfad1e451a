/**
 * What the browser journeys share: the chromium look-up and the suite around them (skipped with the reason
 * printed when there is no chromium, unless AUTHNZERVER_REQUIRE_BROWSER is set), the example app started on a
 * framework over https in front of the in-memory authnzerver behind a TCP relay, requests from Node that replay a
 * cookie or use an API key, the session cookie as the browser stored it, an attacker's page on another local
 * origin, and the steps every journey takes (sign up and verify, log in, confirm the password).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
import { createApp, type Framework, type WebExample } from '../../examples/web/app.js';
import { makeTestPki, type TestPki } from '../helpers/pki.js';
import { browserRequired, findChromium, launchBrowser } from './browser.js';
import { startRelay, type Relay } from './relay.js';

/** The timeout of one browser step. */
export const STEP = 60_000;

/** The answer to a request made outside the browser (to replay a cookie or use an API key). */
export interface Reply {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookie: readonly string[];
  readonly body: string;
}

/** A GET to the app from Node, trusting the test CA: how an attacker replays a stolen cookie. */
export function get(url: string, ca: Buffer, headers: Record<string, string>): Promise<Reply> {
  return send('GET', url, ca, headers);
}

/** A request to the app from Node, trusting the test CA, with an optional form body. */
export function send(
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
export async function sessionCookie(
  context: BrowserContext,
  url: string,
): Promise<Cookie | undefined> {
  const cookies = await context.cookies(url);
  return cookies.find((cookie) => cookie.name.endsWith('azsession'));
}

/** A password the in-memory server's policy accepts, different for each run. */
export function newPassword(): string {
  return `Quartz-Lantern-${randomBytes(6).toString('hex')}-7`;
}

/** A second local origin (another port): a page whose form posts itself to the app at once. */
export async function startAttacker(
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
export async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent({ timeout: STEP })) ?? '';
}

/**
 * Submits the page's form (the button matching `selector`) and gives the response that ended the navigation:
 * the page the browser shows, after any redirect.
 */
export async function submit(page: Page, selector: string): Promise<PlaywrightResponse> {
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

/** The browser and the throw-away PKI of one suite. */
export interface BrowserKit {
  readonly browser: Browser;
  readonly pki: TestPki;
}

/**
 * A suite of browser tests: `body` gets the kit once chromium runs. Without chromium the suite is skipped with the
 * reason printed (`file` names it), or fails when AUTHNZERVER_REQUIRE_BROWSER is set.
 */
export function browserSuite(
  file: string,
  title: string,
  body: (kit: () => BrowserKit) => void,
): void {
  const chromium = findChromium();
  if (!chromium.found && !browserRequired()) {
    console.warn(`${file}: skipped: ${chromium.reason}`);
  }
  describe.skipIf(!chromium.found && !browserRequired())(title, () => {
    if (!chromium.found) {
      it('has chromium', () => {
        expect.fail(`AUTHNZERVER_REQUIRE_BROWSER is set, but ${chromium.reason}`);
      });
      return;
    }
    const executablePath = chromium.path;
    let kit: BrowserKit | undefined;
    beforeAll(async () => {
      const pki = makeTestPki();
      kit = {
        pki,
        browser: await launchBrowser({ executablePath, trustCertFiles: [pki.server.certFile] }),
      };
    }, 180_000);
    afterAll(async () => {
      await kit?.browser.close();
      kit?.pki.remove();
    }, 60_000);
    body(() => kit as BrowserKit);
  });
}

/** The example app on one framework over https, before the in-memory authnzerver behind a relay. */
export interface Journey {
  readonly app: WebExample;
  readonly authServer: AuthnzerverTestServer;
  readonly relay: Relay;
  readonly outbox: MemoryMailer;
  readonly warnings: string[];
  readonly ca: Buffer;
  close(): Promise<void>;
}

/** Starts the example app for a journey. */
export async function startJourney(framework: Framework, pki: TestPki): Promise<Journey> {
  const ca = readFileSync(pki.caFile);
  const authServer = await createTestServer();
  const relay = await startRelay(authServer.port);
  const outbox = memoryMailer();
  const warnings: string[] = [];
  const app = await createApp({
    framework,
    authnzerver: { url: relay.url, secret: authServer.secret },
    mailer: outbox,
    tls: { cert: readFileSync(pki.server.certFile), key: readFileSync(pki.server.keyFile) },
    warn: (message) => warnings.push(message),
  });
  return {
    app,
    authServer,
    relay,
    outbox,
    warnings,
    ca,
    async close() {
      await app.close();
      await relay.stop();
      await authServer.close();
    },
  };
}

/** A new page in a browser context, with the step timeouts. */
export async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP);
  page.setDefaultNavigationTimeout(STEP);
  return page;
}

/** Logs in on the log-in page; the account page must follow. */
export async function logInOnPage(
  page: Page,
  app: WebExample,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${app.url}login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  const loggedIn = await submit(page, 'form[action="/login"] button');
  expect(loggedIn.status()).toBe(200);
  expect(page.url()).toBe(`${app.url}account`);
}

/** On the step-up page: the password, and the page it leads back to. */
export async function confirmOnPage(page: Page, password: string): Promise<PlaywrightResponse> {
  expect(new URL(page.url()).pathname).toBe('/confirm');
  await page.fill('#confirm input[name=password]', password);
  return submit(page, '#confirm button');
}

/** A fresh address for a run. */
export function newEmail(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}@example.com`;
}
