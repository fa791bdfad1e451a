/**
 * What the journeys of built framework apps share (test/browser/sveltekit-journey.test.ts,
 * react-router-journey.test.ts): the example app's production build served by one Node.js binary as a child
 * process on a free loopback port, in front of the in-memory authnzerver; its outbox (EXAMPLE_OUTBOX, JSON lines)
 * read for the verification link; requests from Node that replay a cookie; and the process stopped by its id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestServer, type AuthnzerverTestServer } from 'authnzerver/testing';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import type { MailMessage } from '../../src/web/index.js';
import type { NodeBinary } from '../frameworks/node-versions.js';

/** A free loopback port (taken and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running built app. */
export interface BuiltApp {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly origin: string;
  readonly authServer: AuthnzerverTestServer;
  /** The messages the app sent so far. */
  outbox(): MailMessage[];
  /** What the app printed (for a failure's message). */
  output(): string;
  close(): Promise<void>;
}

/** How to start one app's build. */
export interface StartSpec {
  /** The script to run (`build/index.js` of adapter-node, or react-router-serve's bin with its arguments). */
  readonly args: readonly string[];
  readonly cwd: string;
  /** Extra environment, given the port. */
  readonly env?: (port: number) => Record<string, string>;
}

/**
 * Starts the build with `node`, and waits until it answers on its port (polling; the test's own timeout is the
 * only deadline).
 */
export async function startBuiltApp(node: NodeBinary, spec: StartSpec): Promise<BuiltApp> {
  const authServer = await createTestServer();
  const port = await freePort();
  const origin = `http://127.0.0.1:${String(port)}`;
  const dir = mkdtempSync(join(tmpdir(), 'authnzerver-journey-'));
  const outboxFile = join(dir, 'outbox.jsonl');
  let printed = '';
  const child: ChildProcess = spawn(node.path, [...spec.args], {
    cwd: spec.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: origin,
      AUTHNZERVER_URL: authServer.url,
      AUTHNZERVER_SECRET: authServer.secret,
      COOKIE_SECRET: randomBytes(32).toString('base64url'),
      EMAIL_SECRET: generateFernetKey(),
      EXAMPLE_OUTBOX: outboxFile,
      ...spec.env?.(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
    await exited;
    await authServer.close();
    rmSync(dir, { recursive: true, force: true });
  };
  // Poll until the app answers; stop if it exits.
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`the app exited (${String(child.exitCode)}) before answering:\n${printed}`);
    }
    try {
      await fetch(`${origin}/`, { redirect: 'manual' });
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `${origin}/`,
    origin,
    authServer,
    outbox: () =>
      existsSync(outboxFile)
        ? readFileSync(outboxFile, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as MailMessage)
        : [],
    output: () => printed,
    close,
  };
}

/** A request from Node (an attacker replaying a cookie, or a cross-site post), without following redirects. */
export function request(
  app: BuiltApp,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Response> {
  return fetch(`${app.origin}${path}`, {
    method,
    headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
  });
}
