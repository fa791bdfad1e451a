import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestServer } from '../../src/testing/index.js';

/** `npm run demo`, run as a child process the way a newcomer runs it. */

const root = fileURLToPath(new URL('../../', import.meta.url));

function runDemo(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AUTHNZERVER_')),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
      cwd: root,
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, out });
    });
  });
}

describe('the demo', () => {
  it('runs the whole flow against the in-memory server and exits 0', async () => {
    const { code, out } = await runDemo({});
    expect(out).toContain('the in-memory test server');
    for (const step of [
      '[1/11] An anonymous session',
      '[2/11] Sign-up as demo-',
      '[3/11] The email address is verified',
      '[4/11] Log-in with the right password',
      '[6/11] Session info',
      '[7/11] An API key for the user',
      '[8/11] The API key is verified',
      '[9/11] Access check',
      '[10/11] A failed log-in',
      '[11/11] Log-out',
    ])
      expect(out).toContain(step);
    expect(out).toContain(
      `the end user sees: "Sorry, that user ID and password combination didn't work."`,
    );
    expect(out).toContain('refused (rejected), as expected');
    expect(out).toContain('All 11 steps had the expected outcome.');
    expect(out).not.toContain('✘');
    // Tokens and keys appear only shortened: no 43-character token, and no password, is printed.
    expect(out).not.toMatch(/[\w-]{43}/);
    expect(out).toMatch(/session token [\w-]{4}… issued/);
    expect(code).toBe(0);
  }, 60_000);

  it('runs against AUTHNZERVER_URL and exits 1 when a step has another outcome', async () => {
    const server = await createTestServer({
      handlers: {
        userNew: () => ({
          success: false,
          user_email: null,
          user_id: null,
          send_verification: false,
          failure_reason: 'invalid email',
          messages: ['The email address provided does not seem to be valid.'],
        }),
      },
    });
    try {
      const { code, out } = await runDemo({
        AUTHNZERVER_URL: server.url,
        AUTHNZERVER_SECRET: server.secret,
      });
      expect(out).toContain(`the authnzerver at ${server.url}`);
      expect(out).toContain('✘ refused (rejected), but success was expected');
      expect(out).toMatch(/\d+ of 11 steps did not have the expected outcome/);
      expect(code).toBe(1);
      expect(out).not.toContain(server.secret);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('refuses half a configuration', async () => {
    const { code, out } = await runDemo({ AUTHNZERVER_URL: 'http://127.0.0.1:1/' });
    expect(out).toContain('Set both AUTHNZERVER_URL and AUTHNZERVER_SECRET');
    expect(code).toBe(2);
  }, 60_000);
});
