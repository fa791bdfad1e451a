/**
 * Test kit of the web core and adapter tests: a test server with a client and a web core on it, the same small
 * app for each framework (built by the adapter tests), a `Driver` that sends requests through the framework's
 * own test tool, and a cookie jar that reads `Set-Cookie` as a browser would.
 */
import { parseSetCookie, type SetCookie } from 'cookie';
import { afterEach, expect } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import {
  createTestServer,
  type AuthnzerverTestServer,
  type CreateTestServerOptions,
} from '../../src/testing/index.js';
import {
  createWebAuth,
  memoryMailer,
  type MemoryMailer,
  type WebAuth,
  type WebAuthOptions,
} from '../../src/web/index.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import type { AppOptions } from './apps.js';

/** The app's public origin in the adapter tests. */
export const APP = 'http://app.test';
export const APP_HTTPS = 'https://app.test';
export const PASSWORD = 'correct horse battery staple 42';

/** One reply as a test reads it. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The `Set-Cookie` values, parsed. */
  readonly cookies: readonly SetCookie[];
  json<T = Record<string, unknown>>(): T;
}

/** Sends one request through a framework's own test tool. */
export interface Driver {
  send(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: unknown },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Reads a fetch-style response into a {@link Reply}. */
export async function readResponse(response: Response): Promise<Reply> {
  const text = await response.text();
  return replyOf(response.status, response.headers, text);
}

/** Builds a {@link Reply}. */
export function replyOf(status: number, headers: Headers, text: string): Reply {
  return {
    status,
    headers,
    text,
    cookies: headers.getSetCookie().map((value) => parseSetCookie(value)),
    json<T>() {
      return JSON.parse(text) as T;
    },
  };
}

/** The test server, its client and a web core with every feature on. */
export interface WebSetup {
  readonly server: AuthnzerverTestServer;
  readonly client: Authnzerver;
  readonly auth: WebAuth;
  readonly mailer: MemoryMailer;
  readonly keys: { readonly apiKeys: string; readonly email: string; readonly reset: string };
  /** Counts the requests of one type the server received. */
  count(type: string): number;
  close(): Promise<void>;
}

/** Starts a test server and builds a web core on it; `options` override the core's defaults. */
export async function setup(
  options: Partial<Omit<WebAuthOptions, 'client'>> = {},
  serverOptions: CreateTestServerOptions = {},
): Promise<WebSetup> {
  const server = await createTestServer({
    rateLimits: false,
    loginBackoff: false,
    ...serverOptions,
  });
  const client = new Authnzerver({ url: server.url, secret: server.secret, retry: false });
  const mailer = memoryMailer();
  const keys = {
    apiKeys: generateFernetKey(),
    email: generateFernetKey(),
    reset: generateFernetKey(),
  };
  const auth = createWebAuth({
    client,
    origin: APP,
    apiKeys: { secret: keys.apiKeys },
    emailVerification: { secret: keys.email },
    passwordReset: { secret: keys.reset },
    mailer,
    ...options,
  });
  return {
    server,
    client,
    auth,
    mailer,
    keys,
    count: (type) => server.received.filter((r) => r.type === type).length,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** A browser-like cookie jar for one cookie name. */
export class Jar {
  value: string | undefined;
  constructor(readonly name: string) {}

  /** Takes the reply's Set-Cookie for our name (a Max-Age=0 removes it). */
  take(reply: Reply): SetCookie | undefined {
    const cookie = reply.cookies.filter((c) => c.name === this.name).at(-1);
    if (cookie === undefined) return undefined;
    this.value = cookie.maxAge === 0 || cookie.value === '' ? undefined : cookie.value;
    return cookie;
  }

  header(): Record<string, string> {
    return this.value === undefined ? {} : { cookie: `${this.name}=${this.value}` };
  }
}

/** Makes a framework's test app on a web core (see `apps.ts`). */
export type MakeDriver = (auth: WebAuth, options?: AppOptions) => Promise<Driver>;

/**
 * One framework's test set-up for a `describe` block: `start()` makes a test server, a web core and the app,
 * `swap()` remounts the app on another core, `logIn()` logs a user in through the app; everything is closed
 * after each test.
 */
export function adapterHarness(makeDriver: MakeDriver) {
  let env: WebSetup | undefined;
  let driver: Driver | undefined;
  afterEach(async () => {
    await driver?.close();
    await env?.close();
    env = undefined;
    driver = undefined;
  });
  return {
    async start(
      options: Partial<Omit<WebAuthOptions, 'client'>> = {},
      app: AppOptions = {},
      serverOptions: CreateTestServerOptions = {},
    ): Promise<{ env: WebSetup; d: Driver; jar: Jar }> {
      env = await setup(options, serverOptions);
      driver = await makeDriver(env.auth, app);
      const secure = (options.origin ?? APP).toString().startsWith('https:');
      return { env, d: driver, jar: new Jar(env.auth.cookieName(secure)) };
    },
    /** Mounts the app on another web core (the set-up's server stays). */
    async swap(auth: WebAuth, app: AppOptions = {}): Promise<Driver> {
      await driver?.close();
      driver = await makeDriver(auth, app);
      return driver;
    },
    /** Adds a verified user (if new) and logs in through the app, without a prior visit; the jar then holds its cookie. */
    async logIn(
      d: Driver,
      jar: Jar,
      s: WebSetup,
      email = 'ada@example.com',
      role?: 'superuser',
    ): Promise<Reply> {
      if (s.server.authnzerver.findUser(email) === undefined) {
        s.server.authnzerver.addUser({ email, password: PASSWORD, ...(role ? { role } : {}) });
      }
      const reply = await d.send('POST', '/login', {
        headers: { ...jar.header(), origin: APP },
        body: { email, password: PASSWORD },
      });
      expect(reply.status).toBe(200);
      jar.take(reply);
      return reply;
    },
  };
}
