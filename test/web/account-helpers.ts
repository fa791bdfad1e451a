/**
 * What the account-flow tests share: what an onlooker can compare of a reply, the token of the last link mailed
 * to an address, a token sealed by hand under a given key (a forger who knows the key's flow but not its
 * purpose), who a cookie jar is logged in as, and the total of requests the server received.
 */
import { expect } from 'vitest';
import { WebFernet } from '../../src/crypto/fernet-web.js';
import { APP, type Driver, type Jar, type Reply, type WebSetup } from './helpers.js';

export const SAME = { origin: APP };

/** What a reply shows but for its cookie values and date: what an onlooker could compare. */
export function visible(reply: Reply): string {
  const headers = [...reply.headers.entries()]
    .filter(
      ([name]) => !['set-cookie', 'date', 'content-length', 'etag', 'keep-alive'].includes(name),
    )
    .map(([name, value]) => `${name}: ${value}`)
    .sort();
  const cookies = reply.cookies.map((c) => ({ ...c, value: '<value>' }));
  return JSON.stringify({ status: reply.status, headers, cookies, body: reply.text });
}

/** The token of the last link of this purpose mailed to an address, after the core's background work. */
export async function mailedToken(
  env: WebSetup,
  to: string,
  purpose: string,
): Promise<string | undefined> {
  await env.auth.settled();
  const mail = env.mailer.outbox.filter((m) => m.to === to && m.purpose === purpose).at(-1);
  return mail?.link === undefined
    ? undefined
    : (new URL(mail.link).searchParams.get('token') ?? undefined);
}

/** Seals a payload under a Fernet key, as the core would. */
export function seal(key: string, payload: unknown, nowMs = Date.now()): Promise<string> {
  return new WebFernet(key).encrypt(JSON.stringify(payload), { now: Math.floor(nowMs / 1000) });
}

/** Who the jar's cookie is logged in as (`none` when it is not). */
export async function sessionOf(d: Driver, jar: Jar): Promise<string> {
  const reply = await d.send('GET', '/whoami', { headers: jar.header() });
  jar.take(reply);
  return reply.json<{ session: string }>().session;
}

/** Posts a form with the jar's cookie, from the app's own origin; the jar takes the reply's cookie. */
export async function post(d: Driver, jar: Jar, path: string, body: unknown): Promise<Reply> {
  const reply = await d.send('POST', path, { headers: { ...jar.header(), ...SAME }, body });
  jar.take(reply);
  return reply;
}

/** The refusal code of a reply. */
export function codeOf(reply: Reply): unknown {
  return reply.json()['code'];
}

/** Checks that a log-in with this password gives this status. */
export async function expectLogin(
  d: Driver,
  email: string,
  password: string,
  status: number,
): Promise<void> {
  const reply = await d.send('POST', '/login', { headers: SAME, body: { email, password } });
  expect(reply.status).toBe(status);
}
