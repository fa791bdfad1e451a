/**
 * The Astro recipe (examples/recipes/astro/auth.ts) in a real production build: test/recipes/astro-app built by
 * `astro build` with @astrojs/node in middleware mode (once per change of its sources: a stamp of their hash
 * skips the build), its handler served from a loopback server that passes the web core, the socket's peer and
 * the test app's routes (apps.ts ROUTES) in `locals`. The shared scenarios run through Astro's own pipeline
 * (its request, the middleware, an endpoint and an .astro page); then the recipe's traps: a guarded page, and
 * `context.clientAddress` on Node taking X-Forwarded-For.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebAuth } from '../../src/web/index.js';
import { ROUTES, type AppOptions } from '../web/apps.js';
import { adapterHarness, type Driver } from '../web/helpers.js';
import { guardCheck, listeningDriver, runAdapterScenarios } from '../web/scenarios.js';
import type { HostRoute } from './astro-app/src/env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_DIR = join(ROOT, 'test/recipes/astro-app');
const OUT = join(ROOT, '.tmp/astro-app');
const STAMP = join(OUT, 'stamp');

/** Every file under `dir`, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => !/\/(\.astro|node_modules)\//.test(path) && statSync(path).isFile())
    .sort();
}

/** The hash of what the build is made of: the app, the recipe, the built web layer it imports, the lock file. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(APP_DIR),
    ...filesUnder(join(ROOT, 'examples/recipes/astro')),
    ...filesUnder(join(ROOT, 'dist/src/web')),
    join(ROOT, 'package-lock.json'),
  ];
  for (const file of files)
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: undefined,
  locals: App.Locals | Record<string, unknown>,
) => Promise<void>;

let handler: Handler;

beforeAll(async () => {
  const stamp = sourcesHash();
  const built = existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp;
  if (!built) {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const started = Date.now();
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules/astro/astro.js'), 'build', '--root', APP_DIR],
      {
        env: {
          ...process.env,
          ASTRO_OUT_DIR: join(OUT, 'dist'),
          ASTRO_CACHE_DIR: join(OUT, 'cache'),
          ASTRO_TELEMETRY_DISABLED: '1',
        },
      },
    );
    writeFileSync(STAMP, stamp);
    console.log(`astro build: ${Date.now() - started} ms`);
  } else {
    console.log('astro build: skipped (the stamp of the sources matches)');
  }
  const entry = pathToFileURL(join(OUT, 'dist/server/entry.mjs')).href;
  ({ handler } = (await import(/* @vite-ignore */ entry)) as { handler: Handler });
}, 300_000);

/** The routes with their guards' checks, as the app's endpoint takes them. */
const HOST_ROUTES: readonly HostRoute[] = ROUTES.map((route) => ({
  method: route.method,
  path: route.path,
  handle: route.handle,
  ...(route.guard === undefined ? {} : { check: guardCheck(route.guard) }),
}));

/** The built app on a loopback server; `clientAddress` makes its middleware read Astro's `context.clientAddress`. */
function astroDriver(
  auth: WebAuth,
  options: AppOptions & { clientAddress?: boolean } = {},
): Promise<Driver> {
  if (options.anonymous === true) throw new Error('the Astro test app mounts the middleware as is');
  return listeningDriver(
    createServer((req, res) => {
      const remoteAddress = options.clientAddress === true ? undefined : req.socket.remoteAddress;
      void handler(req, res, undefined, { webAuth: auth, remoteAddress, routes: HOST_ROUTES });
    }),
  );
}

runAdapterScenarios('astro recipe', astroDriver);

describe('astro recipe: an .astro page and the client address', () => {
  const h = adapterHarness(astroDriver);

  it('a page guards itself with refuse(): 401 for a visitor, the user’s page after log-in, never cached', async () => {
    const { env, d, jar } = await h.start();
    const visitor = await d.send('GET', '/account', { headers: { accept: 'text/html' } });
    expect(visitor.status).toBe(401);
    expect(visitor.text).not.toContain('Signed in');
    await h.logIn(d, jar, env);
    const page = await d.send('GET', '/account', { headers: jar.header() });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Signed in as ada@example.com.');
    expect(page.headers.get('cache-control')).toBe('private, no-store');
  });

  it('on @astrojs/node, context.clientAddress is the first X-Forwarded-For value (why the app passes the socket)', async () => {
    const { env } = await h.start();
    const d = await h.swap(env.auth, { clientAddress: true } as AppOptions);
    const spoofed = await d.send('GET', '/whoami', {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(spoofed.json()['clientIp']).toBe('203.0.113.9');
    expect((await d.send('GET', '/whoami')).json()['clientIp']).toBe('127.0.0.1');
  });
});
