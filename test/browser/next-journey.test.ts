/**
 * The Next.js example (examples/next) as users run it: a production build (`next build`, made once and kept
 * while its sources, the package's dist/ and Next's version are unchanged), served by `next start` on each Node.js
 * of `nodeBinaries()`, in front of the in-memory authnzerver, and walked in chromium: sign-up and the emailed
 * link, log-in by a server action, the protected page (a server component reading the proxy's sealed state),
 * an API route, log-out; a cross-origin POST refused, a forged cookie refused, and a forged state header that
 * fools neither the proxy nor `getAuth()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { WebFernet } from '../../src/crypto/fernet-web.js';
import { nodeBinaries } from '../frameworks/node-versions.js';
import { browserSuite, newPassword, STEP, text } from './journey-kit.js';

const ROOT = join(import.meta.dirname, '..', '..');
const APP_DIR = join(ROOT, 'examples', 'next');
const NEXT_BIN = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const STAMP = join(APP_DIR, '.next', 'authnzerver-build-stamp');
/** A build on 2 busy cores takes about a minute; a cold one, more. */
const BUILD_TIMEOUT_MS = 600_000;

/** Every file under `dir` (sorted), skipping build output. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === '.next' || name === 'node_modules' || name === 'next-env.d.ts') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** The hash of what the build is made of: the app's sources, the package's build, Next's version. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const next = JSON.parse(
    readFileSync(join(ROOT, 'node_modules', 'next', 'package.json'), 'utf8'),
  ) as { version: string };
  hash.update(`next ${next.version}\n`);
  for (const file of [...filesUnder(APP_DIR), ...filesUnder(join(ROOT, 'dist', 'src'))]) {
    hash.update(`${relative(ROOT, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Runs a command to its end, rejecting with its output when it fails. */
function runToEnd(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** `next build` of the example, unless the stamp says the build there is of these sources. */
async function buildOnce(): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  const hash = sourcesHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return { built: false, ms: 0 };
  await runToEnd(process.execPath, [NEXT_BIN, 'build'], APP_DIR, {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
  });
  writeFileSync(STAMP, hash);
  return { built: true, ms: Date.now() - started };
}

/** A free port on the loopback address. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls the app until it answers (no deadline of its own: the test's timeout is the bound). */
async function waitUntilUp(base: string, child: ChildProcess, log: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${log()}`);
    try {
      const response = await fetch(`${base}/login`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One `next start` of the build, with a Node.js binary. */
interface Served {
  readonly base: string;
  readonly outbox: string;
  stop(): Promise<void>;
}

async function serve(
  node: string,
  server: AuthnzerverTestServer,
  outboxDir: string,
): Promise<Served> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const outbox = join(outboxDir, `outbox-${port}.jsonl`);
  writeFileSync(outbox, '');
  const child = spawn(node, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: APP_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      AUTHNZERVER_URL: server.url,
      AUTHNZERVER_SECRET: server.secret,
      APP_ORIGIN: base,
      APP_EMAIL_SECRET: generateFernetKey(),
      APP_STATE_SECRET: generateFernetKey(),
      EXAMPLE_OUTBOX: outbox,
    },
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitUntilUp(base, child, () => log);
  return {
    base,
    outbox,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The link of the last email sent to `to`. */
function lastLink(outbox: string, to: string): string {
  const mails = readFileSync(outbox, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { to: string; text: string });
  const mail = mails.filter((m) => m.to === to).at(-1);
  expect(mail, `an email to ${to}`).toBeDefined();
  const link = /https?:\/\/\S+/.exec((mail as { text: string }).text)?.[0];
  expect(link).toBeDefined();
  return link as string;
}

/** A page on another origin (another port) whose form posts itself to the app at once. */
async function startAttacker(target: string): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><body>
<form id="evil" method="post" action="${target}"><input type="hidden" name="x" value="1" /></form>
<script>document.getElementById('evil').submit();</script>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

browserSuite('test/browser/next-journey.test.ts', 'the Next.js example in chromium', (kit) => {
  let server: AuthnzerverTestServer;
  let outboxDir: string;
  beforeAll(async () => {
    const build = await buildOnce();
    console.info(
      build.built
        ? `next-journey: built examples/next in ${(build.ms / 1000).toFixed(1)} s`
        : 'next-journey: examples/next build is current (stamp matches): not rebuilt',
    );
    server = await createTestServer({ rateLimits: false, loginBackoff: false });
    outboxDir = mkdtempSync(join(tmpdir(), 'authnzerver-next-'));
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await server.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  it.each(nodeBinaries().map((b) => [b.version, b.path] as const))(
    'on Node.js %s: sign-up, server-action log-in, protected page, API, log-out, and the attacks',
    async (_version, node) => {
      const started = Date.now();
      const app = await serve(node, server, outboxDir);
      const context = await kit().browser.newContext();
      const attacker = await startAttacker(`${app.base}/api/me`);
      try {
        const page = await context.newPage();
        const email = `next-${Date.now()}@example.com`;
        const password = newPassword();

        // Sign up (a server action), then open the emailed link (a route handler).
        await page.goto(`${app.base}/signup`, { timeout: STEP });
        await page.fill('input[name=fullName]', 'Ada Lovelace');
        await page.fill('input[name=email]', email);
        await page.fill('input[name=password]', password);
        await page.click('button[type=submit]');
        await page.waitForSelector('#sent', { timeout: STEP });
        await page.goto(lastLink(app.outbox, email), { timeout: STEP });
        await page.waitForSelector('#verified', { timeout: STEP });

        // Log in by a server action: it sets the cookie through cookies() and redirects to the account.
        await page.fill('input[name=email]', email);
        await page.fill('input[name=password]', password);
        await page.click('button[type=submit]');
        await page.waitForURL(`${app.base}/account`, { timeout: STEP });
        expect(await text(page, '#who')).toBe(email);
        const cookie = (await context.cookies(app.base)).find((c) => c.name === 'azsession');
        expect(cookie?.httpOnly).toBe(true);
        expect(cookie?.sameSite).toBe('Lax');
        const sent = `azsession=${cookie?.value ?? ''}`;

        // The protected page and the API are per-user: never stored by a shared cache.
        const account = await fetch(`${app.base}/account`, {
          headers: { cookie: sent },
          redirect: 'manual',
        });
        expect(account.status).toBe(200);
        expect(await account.text()).toContain(email);
        expect(account.headers.get('cache-control')).toMatch(/private/);
        expect(account.headers.get('cache-control')).toMatch(/no-store/);
        const me = await fetch(`${app.base}/api/me`, { headers: { cookie: sent } });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { email: string }).email).toBe(email);
        expect(me.headers.get('vary')).toMatch(/\bCookie\b/);
        expect(me.headers.get('cache-control')).toBe('private, no-store');

        // A cross-origin POST with the cookie: the browser sends it (same site), the proxy refuses it.
        const evil = await context.newPage();
        const [refused] = await Promise.all([
          evil.waitForResponse((r) => r.url() === `${app.base}/api/me`, { timeout: STEP }),
          evil.goto(attacker.url, { timeout: STEP }),
        ]);
        expect(refused.status()).toBe(403);
        expect((await refused.request().allHeaders())['cookie']).toContain('azsession=');
        await evil.close();

        // A forged cookie: no user, the page sends to the log-in, the API says 401.
        const forged = await fetch(`${app.base}/account`, {
          headers: { cookie: 'azsession=forged-token-value' },
          redirect: 'manual',
        });
        expect(forged.status).toBe(307);
        expect(forged.headers.get('location')).toMatch(/\/login$/);
        expect(
          (await fetch(`${app.base}/api/me`, { headers: { cookie: 'azsession=forged' } })).status,
        ).toBe(401);

        // A forged state header: the proxy drops it (no cookie: no user; with the cookie: still this user), and
        // on a path the proxy does not cover, getAuth() refuses it (an error page, not a user).
        // The forgery claims a superuser, sealed in the right format under a key the attacker made up.
        const sealed = await new WebFernet(generateFernetKey()).encrypt(
          JSON.stringify({
            ver: 1,
            ip: '1.2.3.4',
            origin: app.base,
            cn: 'azsession',
            b: 'x'.repeat(43),
            s: {
              kind: 'user',
              userId: 1,
              role: 'superuser',
              email: 'admin@example.com',
              expires: 0,
            },
            u: { userId: 1, role: 'superuser', via: 'session', email: 'admin@example.com' },
          }),
        );
        const noCookie = await fetch(`${app.base}/account`, {
          headers: { 'x-authnzerver-state': sealed },
          redirect: 'manual',
        });
        expect(noCookie.status).toBe(307);
        const withCookie = await fetch(`${app.base}/account`, {
          headers: { cookie: sent, 'x-authnzerver-state': sealed },
          redirect: 'manual',
        });
        expect(await withCookie.text()).toContain(email);
        const unproxied = await fetch(`${app.base}/unproxied`, {
          headers: { 'x-authnzerver-state': sealed },
        });
        expect(unproxied.status).toBe(500);
        expect(await unproxied.text()).not.toContain('admin@example.com');

        // Log out (a server action): the home page says so, and the old cookie is dead.
        await page.goto(`${app.base}/account`, { timeout: STEP });
        // With JavaScript on, a server action is a fetch and the redirect a client-side navigation.
        await page.click('button[type=submit]', { timeout: STEP });
        await page.waitForURL(`${app.base}/`, { timeout: STEP });
        expect(await text(page, '#status')).toBe('Not signed in');
        expect(
          (await context.cookies(app.base)).find((c) => c.name === 'azsession'),
        ).toBeUndefined();
        expect((await fetch(`${app.base}/api/me`, { headers: { cookie: sent } })).status).toBe(401);
      } finally {
        await context.close();
        attacker.server.close();
        await app.stop();
      }
      console.info(
        `next-journey: Node.js ${_version}: ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    },
    300_000,
  );
});
