import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { installPacked, requireBuilt, ROOT, run, type PackedApp } from './packed.js';

/**
 * The dual build, as a user installs it (the packed tarball in a new CommonJS app):
 * - `require()` gives the CommonJS build (dist/cjs) of every entry point, with the same names as the ES module
 *   build, on a Node.js without require(esm) (as every Node.js 20 before 20.19: `--no-experimental-require-module`);
 * - real calls from CommonJS with each transport, and through the sync API's worker;
 * - both builds in one process keep one notion of each error class (`instanceof` and `is()` across builds), one
 *   tracing channel, and one registry of the web adapters' failure handlers;
 * - the `browser` condition fails at once (in Node.js and in a browser bundle); workerd and edge do not get it;
 * - attw (node16 from CommonJS and from ESM, bundler) and publint (warnings too) find no problem in the tarball.
 */

/** Each fixture of fixtures/cjs/, and its name in the app: `.cjs` for CommonJS, `.mjs` for an ES module. */
const SCRIPTS = {
  'entries-require.js': 'entries.cjs',
  'entries-import.js': 'entries.mjs',
  'calls.js': 'calls.cjs',
  'sync.js': 'sync.cjs',
  'both.js': 'both.mjs',
} as const;
type Script = (typeof SCRIPTS)[keyof typeof SCRIPTS];

/** What every Node.js 20 before 20.19 does: no require() of an ES module (the flag exists from 20.19 on). */
const NO_REQUIRE_ESM = process.features.require_module ? ['--no-experimental-require-module'] : [];
/** Cold starts of Node.js and of the package, with a core kept busy. */
const CHILD_TIMEOUT_MS = 120_000;
/** The optional peer dependencies that an entry point of the package loads (npm adds next's own peers, react). */
const LOADED_PEERS = [
  '@opentelemetry/api',
  '@sveltejs/kit',
  'express',
  'fastify',
  'hono',
  'next',
  'react-router',
];
const BIN = (name: string): string => join(ROOT, 'node_modules', name);

let tmp: string | undefined;
let packed: PackedApp;

beforeAll(async () => {
  requireBuilt(['dist/src/index.js', 'dist/cjs/src/index.cjs', 'dist/cjs/src/index.d.cts']);
  tmp = mkdtempSync(join(tmpdir(), 'authnzerver-cjs-'));
  // The optional peer dependencies that entry points load (authnzerver/otel, /express, …), as this repository pins them.
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    peerDependenciesMeta: Record<string, unknown>;
    devDependencies: Record<string, string>;
  };
  const peers = Object.keys(manifest.peerDependenciesMeta)
    .filter((name) => LOADED_PEERS.includes(name))
    .map((name) => `${name}@${manifest.devDependencies[name]}`);
  packed = await installPacked(tmp, {}, peers);
  for (const [from, to] of Object.entries(SCRIPTS)) {
    copyFileSync(join(ROOT, 'test', 'package', 'fixtures', 'cjs', from), join(packed.app, to));
  }
}, 600_000);

// The app holds next (a large tree of files) among its peers: removing it takes a while on a busy machine.
afterAll(() => {
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
}, 300_000);

/** Runs a script of the app with node and `flags`, and parses the JSON line it prints. */
async function node<T>(
  script: Script,
  flags: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  const { stdout } = await run(process.execPath, [...flags, script], {
    cwd: packed.app,
    env: { ...process.env, ...env },
    timeout: CHILD_TIMEOUT_MS,
  });
  return JSON.parse(stdout) as T;
}

/** A path inside the installed package, with `/`. */
const inPackage = (file: string): string =>
  relative(join(packed.app, 'node_modules', 'authnzerver'), file)
    .split(sep)
    .join('/');

describe('require() of the packed package', () => {
  type Entries = Record<string, { file: string; names: string[] }>;

  it('gives the CommonJS build of every entry point, with the names of the ES module build, without require(esm)', async () => {
    const [required, imported] = await Promise.all([
      node<Entries>('entries.cjs', NO_REQUIRE_ESM),
      node<Entries>('entries.mjs'),
    ]);
    const manifest = JSON.parse(
      readFileSync(join(packed.app, 'node_modules', 'authnzerver', 'package.json'), 'utf8'),
    ) as { exports: Record<string, unknown> };
    const entryPoints = Object.keys(manifest.exports)
      .filter((key) => key !== './package.json')
      .map((key) => `authnzerver${key.slice(1)}`);
    // authnzerver/sveltekit is an ES module only, as SvelteKit is: no `require` condition.
    const esmOnly = ['authnzerver/sveltekit'];
    expect(entryPoints).toEqual(
      expect.arrayContaining(['authnzerver', 'authnzerver/testing', ...esmOnly]),
    );
    const both = entryPoints.filter((name) => !esmOnly.includes(name));
    expect(Object.keys(required)).toEqual(both);
    expect(Object.keys(imported)).toEqual(entryPoints);
    expect(imported['authnzerver/sveltekit']!.names).toContain('authnzerver');
    for (const name of both) {
      const cjs = required[name]!;
      const esm = imported[name]!;
      expect(inPackage(cjs.file), name).toMatch(/^dist\/cjs\/src\/.*\.cjs$/);
      expect(inPackage(esm.file), name).toMatch(/^dist\/src\/.*\.js$/);
      expect(inPackage(cjs.file)).toBe(
        inPackage(esm.file)
          .replace(/^dist\//, 'dist/cjs/')
          .replace(/\.js$/, '.cjs'),
      );
      expect(cjs.names.length, name).toBeGreaterThan(0);
      expect(cjs.names, name).toEqual(esm.names);
    }
  }, 300_000);

  it('makes real calls to createTestServer from CommonJS, with each transport, without require(esm)', async () => {
    const calls = await node<unknown[]>('calls.cjs', NO_REQUIRE_ESM);
    expect(calls).toEqual(
      ['undici', 'fetch'].map((transport) => ({
        transport,
        sessionNew: 'success',
        role: 'anonymous',
        fault: 'server-error 500',
        closed: true,
      })),
    );
  }, 300_000);

  describe('the sync API, with a test server in another process and one in a thread of the kit', () => {
    let server: AuthnzerverTestServer;
    beforeAll(async () => {
      server = await createTestServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('starts its worker from the CommonJS build', async () => {
      const worker = join(packed.app, 'node_modules', 'authnzerver', 'dist', 'cjs', 'src', 'sync');
      expect(existsSync(join(worker, 'worker.cjs'))).toBe(true);
      const outcome = await node('sync.cjs', NO_REQUIRE_ESM, {
        AUTHNZERVER_URL: server.url,
        AUTHNZERVER_SECRET: server.secret,
      });
      expect(outcome).toEqual({ sessionNew: 'success', unknown: 'rejected', thread: 'success' });
      expect(server.received.map((request) => request.type)).toEqual([
        'session-new',
        'session-exists',
      ]);
      // The Date went in the server's format from the CommonJS build.
      expect((server.received[0]?.body as { expires: string }).expires).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/,
      );
      const thread = join(
        packed.app,
        'node_modules',
        'authnzerver',
        'dist',
        'cjs',
        'src',
        'testing',
      );
      expect(existsSync(join(thread, 'thread-worker.cjs'))).toBe(true);
    }, 300_000);
  });
});

describe('both builds in one process', () => {
  interface Both {
    distinct: boolean;
    classes: string[];
    matches: Record<string, string[]>;
    traced: string[];
    guarded: string;
    sameThread: Record<string, string>;
  }
  let both: Both;
  beforeAll(async () => {
    both = await node<Both>('both.mjs');
  }, 300_000);

  it('are two copies of the package', () => {
    expect(both.distinct).toBe(true);
  });

  it('keep one notion of each error class: an error of either build is `instanceof` and `is()` its class and the base of both, and no other', () => {
    const classes = [
      'AuthnzerverError',
      'ClientClosedError',
      'ConfigError',
      'FernetKeyError',
      'FernetTokenError',
      'RequestValidationError',
    ];
    // Every error class the package exports has a real error in both.js.
    expect(both.classes).toEqual(classes);
    const expected: Record<string, string[]> = {};
    for (const from of ['esm', 'cjs']) {
      for (const name of classes) {
        for (const to of ['esm', 'cjs']) {
          expected[`${from} ${name} in ${to}`] =
            name === 'AuthnzerverError' ? [name] : ['AuthnzerverError', name].sort();
        }
      }
    }
    expect(both.matches).toEqual(expected);
  });

  it('publish their calls on the one `authnzerver:call` tracing channel', () => {
    expect(both.traced).toEqual(['session-exists here', 'session-exists here']);
  });

  it('share the record of the servers this thread serves: a sync call of either build to a test server of either is refused, unsent', () => {
    expect(both.sameThread).toEqual({
      'esm client, esm server': 'ConfigError url, 0 hits',
      'cjs client, esm server': 'ConfigError url, 0 hits',
      'esm client, cjs server': 'ConfigError url, 0 hits',
      'cjs client, cjs server': 'ConfigError url, 0 hits',
    });
  });

  it("share the web adapters' failure handlers: a guard of one build answers with the app's handler that the middleware of the other recorded", () => {
    expect(both.guarded).toBe("401 the app's 401");
  });
});

/** Runs node with `args` in the app: its exit code and what it printed (stdout, then stderr), failed or not. */
async function exitOf(args: readonly string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: packed.app,
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('export conditions', () => {
  /** Runs `code` with node in the app, under `conditions`. */
  const evaluate = (conditions: readonly string[], code: string, module: boolean) =>
    exitOf([
      ...conditions.map((condition) => `--conditions=${condition}`),
      ...(module ? ['--input-type=module'] : []),
      '-e',
      code,
    ]);

  it.each([
    ['require', "require('authnzerver')", false],
    ['import', "await import('authnzerver/testing')", true],
  ])(
    'browser: %s fails at once with an error that says why',
    async (_how, code, module) => {
      const outcome = await evaluate(['browser'], code, module);
      expect(outcome.code).toBe(1);
      expect(outcome.output).toContain('authnzerver cannot run in a browser');
    },
    120_000,
  );

  it('browser: a bundle for the browser keeps the error, also for an import of nothing', async () => {
    const bundled = await build({
      stdin: { contents: "import 'authnzerver';", resolveDir: packed.app },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(bundled.outputFiles[0]!.text).toContain('authnzerver cannot run in a browser');
  }, 120_000);

  it.each([
    ['workerd', ['workerd', 'worker', 'browser']], // wrangler's
    ['edge-light', ['edge-light', 'worker', 'browser']], // Next.js edge's
  ])(
    '%s comes before browser: the ES module build',
    async (_name, conditions) => {
      const outcome = await evaluate(
        conditions,
        "console.log(import.meta.resolve('authnzerver'))",
        true,
      );
      expect(outcome.code, outcome.output).toBe(0);
      expect(outcome.output.trim()).toMatch(/\/node_modules\/authnzerver\/dist\/src\/index\.js$/);
    },
    120_000,
  );
});

describe('the packed tarball', () => {
  it('has no problem for attw: node16 from CommonJS and from ESM, bundler (node10 is not required)', async () => {
    const attw = join(BIN('@arethetypeswrong/cli'), 'dist', 'index.js');
    const outcome = await exitOf([
      attw,
      packed.tarball,
      '--profile',
      'node16',
      '--exclude-entrypoints',
      './sveltekit',
    ]);
    expect(outcome.code, outcome.output).toBe(0);
    expect(outcome.output).toContain('No problems found');
    // authnzerver/sveltekit is an ES module only (as SvelteKit is): CommonJS cannot resolve it, on purpose;
    // from ES modules and bundlers it must have no problem.
    const esmOnly = await exitOf([
      attw,
      packed.tarball,
      '--profile',
      'node16',
      '--entrypoints',
      './sveltekit',
      '--ignore-rules',
      'no-resolution',
    ]);
    expect(esmOnly.code, esmOnly.output).toBe(0);
    expect(esmOnly.output).toContain('No problems found');
  }, 300_000);

  it('has no problem for publint, warnings included', async () => {
    const publint = join(BIN('publint'), 'src', 'cli.js');
    const outcome = await exitOf([publint, 'run', packed.tarball, '--strict']);
    expect(outcome.code, outcome.output).toBe(0);
    expect(outcome.output).toContain('All good!');
  }, 300_000);
});
