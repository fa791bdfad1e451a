/**
 * Test kit of the session lifetime and session data tests: an adapter harness whose web core and test server
 * share one controlled clock (moved by hand, never by sleeping), a log-in with options through the test app's
 * `/session/login`, and the stored session of a token.
 */
import { expect } from 'vitest';
import type { StoredSession } from '../../src/testing/index.js';
import type { LoginOptions, WebAuthOptions } from '../../src/web/index.js';
import type { AppOptions } from './apps.js';
import {
  adapterHarness,
  APP,
  PASSWORD,
  type Driver,
  type Jar,
  type MakeDriver,
  type Reply,
  type WebSetup,
} from './helpers.js';

/** A clock the test moves. */
export interface Clock {
  ms: number;
  /** Moves the clock on by `seconds`. */
  advance(seconds: number): void;
}

/** What a clocked start gives: the set-up, the app's driver, a cookie jar, and the shared clock. */
export interface Clocked {
  readonly env: WebSetup;
  readonly d: Driver;
  readonly jar: Jar;
  readonly clock: Clock;
}

/** An adapter harness whose starts share a controlled clock between the web core and the test server. */
export function clockedHarness(makeDriver: MakeDriver) {
  const h = adapterHarness(makeDriver);
  return {
    ...h,
    async start(
      options: Partial<Omit<WebAuthOptions, 'client' | 'now'>> = {},
      app: AppOptions = {},
    ): Promise<Clocked> {
      const clock: Clock = {
        ms: Date.now(),
        advance(seconds) {
          this.ms += seconds * 1000;
        },
      };
      const now = (): number => clock.ms;
      const started = await h.start({ ...options, now }, app, { now });
      return { ...started, clock };
    },
  };
}

/** Logs a user in (added first when new) through `/session/login` with `options`; the jar takes the cookie. */
export async function logInWith(
  c: Clocked,
  options?: LoginOptions,
  email = 'ada@example.com',
): Promise<Reply> {
  if (c.env.server.authnzerver.findUser(email) === undefined) {
    c.env.server.authnzerver.addUser({ email, password: PASSWORD });
  }
  const reply = await c.d.send('POST', '/session/login', {
    headers: { ...c.jar.header(), origin: APP },
    body: { email, password: PASSWORD, ...(options === undefined ? {} : { options }) },
  });
  expect(reply.status).toBe(200);
  c.jar.take(reply);
  return reply;
}

/** The stored session of a token, or undefined when the server has none. */
export function stored(env: WebSetup, token: string | undefined): StoredSession | undefined {
  return env.server.authnzerver.listSessions().find((s) => s.session_token === token);
}

/**
 * Who the app says is asking with the jar's cookie (`none`, `anonymous` or `user`), and the reply; the jar takes
 * the reply's cookie, as a browser would.
 */
export async function whoami(
  c: Clocked,
  jar: Jar = c.jar,
): Promise<{ kind: string; reply: Reply }> {
  const reply = await c.d.send('GET', '/whoami', { headers: jar.header() });
  jar.take(reply);
  return { kind: String(reply.json()['session']), reply };
}
