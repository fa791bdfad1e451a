/**
 * `npm run demo:web` (examples/web/main.ts) as a newcomer runs it, in a child process: it prints its URL, serves
 * the pages, prints the verification email (with its link) on the console, and stops on SIGTERM. Once on the
 * embedded in-memory authnzerver, once against AUTHNZERVER_URL/AUTHNZERVER_SECRET. No browser needed: plain
 * HTTP from the test, with the Origin header a browser would send.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestServer } from 'authnzerver/testing';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The running demo: its output so far, and a way to wait for a line. */
interface Demo {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output, waiting for it as long as the process runs. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

function startDemo(env: Record<string, string>): Demo {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('AUTHNZERVER_') && name !== 'PORT' && name !== 'WEB_FRAMEWORK',
    ),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/web/main.ts'], {
    cwd: root,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    changed();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    changed();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      changed();
      resolve(code);
    });
  });
  return {
    child,
    output: () => out,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(out);
          if (match !== null) {
            waiters.delete(check);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            reject(new Error(`the demo ended without printing ${String(pattern)}:\n${out}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Signs up through the demo's form, as a browser on its page would post it. */
async function signUp(origin: string, email: string): Promise<Response> {
  return fetch(`${origin}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({
      fullName: 'Grace Hopper',
      email,
      password: 'Compiler-Pioneer-1906-cobol',
    }).toString(),
    redirect: 'manual',
  });
}

describe('npm run demo:web', () => {
  it('runs on the embedded authnzerver, prints its URL and the verification link, and stops on SIGTERM', async () => {
    const demo = startDemo({});
    try {
      const [, url] = await demo.waitFor(
        /The example web app \(express\) is running at (http:\/\/127\.0\.0\.1:\d+\/)/,
      );
      expect(demo.output()).toContain('embedded in-memory authnzerver');
      const origin = (url ?? '').replace(/\/$/, '');
      const home = await fetch(`${origin}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('href="/signup"');

      const email = `grace-${Date.now()}@example.com`;
      const signedUp = await signUp(origin, email);
      expect(signedUp.status).toBe(200);
      expect(await signedUp.text()).toContain('User account created.');
      // The console mailer printed the email, with the link in full.
      const [, link] = await demo.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/verify-email\?token=\S+)/);
      expect(demo.output()).toContain(`email to ${email}`);
      const verified = await fetch(link ?? '');
      expect(verified.status).toBe(200);
      expect(await verified.text()).toContain(`<strong>${email}</strong> is verified`);
      // The password never reaches the console.
      expect(demo.output()).not.toContain('Compiler-Pioneer-1906-cobol');
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  }, 120_000);

  it('uses AUTHNZERVER_URL and AUTHNZERVER_SECRET, and WEB_FRAMEWORK, when they are set', async () => {
    const server = await createTestServer();
    const demo = startDemo({
      AUTHNZERVER_URL: server.url,
      AUTHNZERVER_SECRET: server.secret,
      WEB_FRAMEWORK: 'hono',
    });
    try {
      const [, url] = await demo.waitFor(
        /The example web app \(hono\) is running at (http:\/\/127\.0\.0\.1:\d+\/)/,
      );
      expect(demo.output()).toContain(`Using the authnzerver at ${server.url}`);
      const origin = (url ?? '').replace(/\/$/, '');
      const email = `grace-${Date.now()}@example.com`;
      expect((await signUp(origin, email)).status).toBe(200);
      // The user was made on that server.
      expect(server.received.some((request) => request.type === 'user-new')).toBe(true);
    } finally {
      expect(await demo.stop()).toBe(0);
      await server.close();
    }
  }, 120_000);
});
