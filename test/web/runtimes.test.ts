/**
 * The web core and the Hono adapter in each runtime: `journey.ts`, bundled for the runtime as its bundler would
 * (the repository's `#platform` seam, no `node:` module for the web platforms), runs in Cloudflare Workers
 * (workerd in Miniflare), the Vercel edge runtime, Bun and Deno, and directly in Node, against a test server in
 * this process. Every runtime must report the same journey.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import {
  RUNTIME_LIMIT_MS as LIMIT_MS,
  makeScratch,
  reportFromChild,
  reportFromEdgeRuntime,
  reportFromWorkerd,
  type Scratch,
} from '../helpers/runtimes.js';
import { journey, type JourneyInput, type JourneyReport } from './journey.js';
import { PASSWORD } from './helpers.js';

const JOURNEY = "import { journey } from './test/web/journey.ts';";

let server: AuthnzerverTestServer;
let scratch: Scratch;
let count = 0;

beforeAll(async () => {
  server = await createTestServer({ rateLimits: false, loginBackoff: false });
  scratch = makeScratch('authnzerver-web-runtimes-');
}, LIMIT_MS);

afterAll(async () => {
  await server.close();
  scratch.remove();
});

/** A new user for each journey (a journey logs its user out). */
function input(): JourneyInput {
  count += 1;
  const email = `runner${count}@example.com`;
  server.authnzerver.addUser({ email, password: PASSWORD });
  return {
    url: server.url,
    secret: server.secret,
    email,
    password: PASSWORD,
    apiKeySecret: generateFernetKey(),
  };
}

function expectJourney(report: JourneyReport, clientIp: string): void {
  expect(report.firstCookie).toBe(
    '__Host-azsession=<value>; Max-Age=<n>; Path=/; Expires=<date>; HttpOnly; Secure; SameSite=Lax',
  );
  expect(report.loginStatus).toBe(200);
  expect(report.tokenReplaced).toBe(true);
  expect(report.oldCookieSession).toBe('none');
  expect(report.me).toEqual({ session: 'user', clientIp, via: 'session' });
  expect(report.forgedSession).toBe('none');
  expect(report.csrfStatus).toBe(403);
  expect(report.apiKeyStatus).toBe(200);
  expect(report.apiKeyVia).toBe('apikey');
  expect(report.logoutCookie).toBe(
    '__Host-azsession=; Max-Age=0; Path=/; Expires=<date>; HttpOnly; Secure; SameSite=Lax',
  );
  expect(report.afterLogoutSession).toBe('none');
  expect(report.proxiedIps).toEqual(['203.0.113.7', '2001:db8::a']);
}

describe('the web core and the Hono adapter in each runtime', () => {
  it('Node.js', async () => {
    // app.request() passes no socket: the client IP is unknown (0.0.0.0), and X-Forwarded-For is not trusted.
    expectJourney(await journey(input()), '0.0.0.0');
  });

  it(
    'Cloudflare Workers (workerd in Miniflare, no compatibility flags)',
    async () => {
      const report = await reportFromWorkerd<JourneyReport>(
        JOURNEY,
        `journey(${JSON.stringify(input())})`,
      );
      expectJourney(report, '0.0.0.0');
    },
    LIMIT_MS,
  );

  it(
    'the Vercel edge runtime',
    async () => {
      const report = await reportFromEdgeRuntime<JourneyReport>(
        JOURNEY,
        `journey(${JSON.stringify(input())})`,
      );
      expectJourney(report, '0.0.0.0');
    },
    LIMIT_MS,
  );

  it.each(['bun', 'deno'] as const)(
    '%s',
    async (runtime) => {
      const report = await reportFromChild<JourneyReport>(
        runtime,
        scratch,
        `journey-${runtime}.mjs`,
        JOURNEY,
        `journey(${JSON.stringify(input())})`,
      );
      expectJourney(report, '0.0.0.0');
    },
    LIMIT_MS,
  );
});
