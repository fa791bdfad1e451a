/**
 * The parts of the ecosystem tests that the runner (ecosystem-tests/run.ts) and the runtimes bench
 * (bench/runtimes.ts) share: install the packed package in a new app folder as a user gets it, start the Node
 * test server the apps call (with a control URL that queues a fault), and run the app on each runtime.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AuthnzerverTestServer, CreateTestServerOptions } from 'authnzerver/testing';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const APP_SOURCES = join(ROOT, 'ecosystem-tests', 'app');
const BIN = join(ROOT, 'node_modules', '.bin');
const EDGE_HOST = join(ROOT, 'ecosystem-tests', 'edge-host.js');

/** The limit for one runtime's run: generous, for cold starts on a loaded 2-core machine. */
export const RUN_TIMEOUT_MS = 180_000;

/** The app folder: the packed package installed in it, the app's files, and the bundles made from them. */
export interface InstalledApp {
  /** The temporary folder that holds the tarball and the app; `cleanup()` removes it. */
  readonly tmp: string;
  /** The app's folder (its `node_modules` has the package and its dependencies). */
  readonly dir: string;
  /** The installed package's version. */
  readonly version: string;
  /** The esbuild bundle of worker.js for workerd, or why it could not be made. */
  readonly worker: Bundle;
  /** The esbuild bundle of edge.js for the edge runtime, or why it could not be made. */
  readonly edge: Bundle;
  /** The step names the app reports, in order (app.js's `STEPS`). */
  readonly steps: readonly string[];
  /** How long packing and installing took, in milliseconds. */
  readonly installMs: number;
  cleanup(): void;
}

/** A bundle's file and gzip size, or the bundler's error. */
export type Bundle =
  | { readonly ok: true; readonly file: string; readonly bytes: number }
  | { readonly ok: false; readonly error: string };

/** What the app gets: the server, the control URL that queues a fault, and the client's options. */
export interface AppConfig {
  readonly url: string;
  readonly secret: string;
  readonly control: string;
  /** The envelope's `client_ipaddr`: the test server rate-limits by it. */
  readonly ip: string;
  /** `fetch`, or undefined for the runtime's default transport. */
  readonly transport?: string | undefined;
  /** `app` (the default) or `bench`. */
  readonly mode?: 'app' | 'bench';
  /** With `mode: 'bench'`: the calls to time, and the calls before them. */
  readonly requests?: number;
  readonly warmup?: number;
}

/** The JSON report an app prints or answers with (see app.js). */
export interface Report {
  readonly ok: boolean;
  readonly runtime: string;
  readonly steps?: readonly string[];
  /** The transport the client chose: `undici`, `fetch`. */
  readonly transport?: string;
  readonly error?: string;
  /** cjs/main.js: the format of what `require()` gave for each entry point, `cjs` or `esm`. */
  readonly formats?: Readonly<Record<string, string>>;
  /** cjs/main.js: the file `require.resolve('authnzerver')` found, inside node_modules. */
  readonly resolved?: string;
  /** Bench mode. */
  readonly requests?: number;
  readonly seconds?: number;
}

/** How one run ended: the report, or why there is none, and what the runtime printed. */
export interface Outcome {
  readonly report: Report | undefined;
  /** Why there is no report (exit code, timeout, start-up error). */
  readonly problem?: string;
  /** The end of what the runtime wrote to stderr (and stdout, when it is not a report). */
  readonly output: string;
}

/** One runtime the app runs on. */
export interface Runtime {
  /** Its name in the runner's table, e.g. `node (fetch)`. */
  readonly name: string;
  /** The name app.js's `runtimeName()` must report there. */
  readonly reports: string;
  /** `fetch` to run the app with `transport: 'fetch'`, else the default transport. */
  readonly transport?: 'fetch';
  /** What is checked beyond the app's own report, as one line for the table. */
  readonly note: string;
  run(app: InstalledApp, config: AppConfig): Promise<Outcome>;
}

/** The last lines of a runtime's output, each cut to 300 characters (a stack can quote a whole bundle's line). */
const tail = (text: string, lines = 30): string =>
  text
    .trim()
    .split('\n')
    .slice(-lines)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .join('\n');

/** Runs a command with a time limit and returns its exit code and output. Never throws. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMs: number },
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}\n`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/**
 * The environment of a process the runner starts: this one's without the `AUTHNZERVER_*` variables (the app must
 * run on its explicit options alone), and without colours.
 */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AUTHNZERVER_')) env[key] = value;
  }
  return { ...env, NO_COLOR: '1' };
}

/** The environment of a runtime's process, with the app's configuration as JSON in `ECO_CONFIG` (never on a command line). */
function childEnv(config: AppConfig): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    ECO_CONFIG: JSON.stringify(config),
    DENO_NO_UPDATE_CHECK: '1',
  };
}

/** The report: the last stdout line that parses as a JSON object with `ok`. */
function parseReport(stdout: string): Report | undefined {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && 'ok' in value) return value as Report;
    } catch {
      // not the report
    }
  }
  return undefined;
}

/** Runs an entry of the app in a process of its own and reads its report. */
async function runProcess(
  command: string,
  args: readonly string[],
  app: InstalledApp,
  config: AppConfig,
): Promise<Outcome> {
  const result = await runCommand(command, args, {
    cwd: app.dir,
    env: childEnv(config),
    timeoutMs: RUN_TIMEOUT_MS,
  });
  const report = parseReport(result.stdout);
  const output = tail(`${result.stderr}\n${report === undefined ? result.stdout : ''}`);
  if (result.timedOut) return { report, problem: `no end after ${RUN_TIMEOUT_MS} ms`, output };
  if (report === undefined)
    return { report, problem: `no report (exit code ${result.code})`, output };
  if (result.code !== 0 && report.ok)
    return { report, problem: `exit code ${result.code}`, output };
  return { report, output };
}

/** Rejects after the run's time limit; `stop()` cancels the timer. */
function deadline(what: string): { promise: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: no end after ${RUN_TIMEOUT_MS} ms`));
    }, RUN_TIMEOUT_MS);
  });
  return {
    promise,
    stop: () => {
      clearTimeout(timer);
    },
  };
}

/** Posts the configuration to a running handler and reads the report from its reply. */
async function postConfig(
  send: (body: string) => Promise<{ status: number; text(): Promise<string> }>,
  config: AppConfig,
): Promise<Outcome> {
  const response = await send(JSON.stringify(config));
  const text = await response.text();
  const report = parseReport(text);
  if (response.status !== 200 || report === undefined) {
    return {
      report,
      problem: `HTTP ${response.status} without a report`,
      output: tail(text),
    };
  }
  return { report, output: '' };
}

/** workerd through Miniflare: worker.js bundled by esbuild with wrangler's conditions, no compatibility flags. */
async function runWorkerd(app: InstalledApp, config: AppConfig): Promise<Outcome> {
  if (!app.worker.ok)
    return { report: undefined, problem: 'esbuild failed', output: app.worker.error };
  const { Miniflare } = await import('miniflare');
  const logs: string[] = [];
  const mf = new Miniflare({
    modules: true,
    scriptPath: app.worker.file,
    modulesRoot: app.dir,
    // A fixed date (the behaviour must not change with the day the tests run), within what this workerd knows.
    compatibilityDate: '2026-07-01',
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    },
  });
  const limit = deadline('workerd');
  try {
    return await Promise.race([
      postConfig(
        (body) => mf.dispatchFetch('http://localhost/', { method: 'POST', body }),
        config,
      ).then((outcome) => ({ ...outcome, output: tail(`${logs.join('')}\n${outcome.output}`) })),
      limit.promise,
    ]);
  } catch (error) {
    return { report: undefined, problem: (error as Error).message, output: tail(logs.join('')) };
  } finally {
    limit.stop();
    await mf.dispose().catch(() => undefined);
  }
}

/**
 * The Vercel edge runtime (`edge-runtime`): edge.js bundled by esbuild with the `edge-light` condition, run by
 * edge-host.js in a process of its own (an uncaught error in the runtime's VM would end the runner's process).
 */
function runEdge(app: InstalledApp, config: AppConfig): Promise<Outcome> {
  if (!app.edge.ok) {
    return Promise.resolve({
      report: undefined,
      problem: 'esbuild failed',
      output: app.edge.error,
    });
  }
  return runProcess(process.execPath, [EDGE_HOST, app.edge.file], app, config);
}

/** Every runtime the app runs on (the Jest projects are run apart: see `jestProjects`). */
export const RUNTIMES: readonly Runtime[] = [
  {
    name: 'node',
    reports: 'node',
    note: 'ESM',
    run: (app, config) => runProcess(process.execPath, ['main.js'], app, config),
  },
  {
    name: 'node (fetch)',
    reports: 'node',
    transport: 'fetch',
    note: "ESM, transport: 'fetch'",
    run: (app, config) => runProcess(process.execPath, ['main.js'], app, config),
  },
  {
    name: 'node (cjs)',
    reports: 'node',
    note: 'require(), without require(esm) as Node < 20.19',
    // Without require(esm), as on Node 20 before 20.19: `require` must find CommonJS.
    run: (app, config) =>
      runProcess(
        process.execPath,
        ['--no-experimental-require-module', 'cjs/main.js'],
        app,
        config,
      ),
  },
  {
    name: 'bun',
    reports: 'bun',
    note: 'node_modules/.bin/bun',
    run: (app, config) => runProcess(join(BIN, 'bun'), ['main.js'], app, config),
  },
  {
    name: 'deno',
    reports: 'deno',
    note: '--allow-net --allow-env, node_modules',
    run: (app, config) =>
      runProcess(join(BIN, 'deno'), ['run', '--allow-net', '--allow-env', 'main.js'], app, config),
  },
  {
    name: 'workerd',
    reports: 'workerd',
    note: 'Miniflare; esbuild: workerd, worker, browser',
    run: runWorkerd,
  },
  {
    name: 'edge-runtime',
    reports: 'edge-light',
    note: 'EdgeRuntime + runServer; esbuild: edge-light, worker, browser',
    run: runEdge,
  },
];

/** A runtime's name as it is given on the command line: `node-fetch` for `node (fetch)`. */
export const slug = (name: string): string => name.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '');

/** The gzip size of a file. */
async function gzipSize(file: string): Promise<number> {
  const { gzipSync } = await import('node:zlib');
  return gzipSync(readFileSync(file)).length;
}

/** Bundles an entry of the app with esbuild for a runtime that takes one file; never throws. */
async function bundle(
  dir: string,
  entry: string,
  outfile: string,
  format: 'esm' | 'iife',
  conditions: readonly string[],
): Promise<Bundle> {
  const { build } = await import('esbuild');
  try {
    await build({
      absWorkingDir: dir,
      entryPoints: [entry],
      outfile,
      bundle: true,
      format,
      platform: 'browser',
      conditions: [...conditions],
      target: 'es2022',
      minify: true,
      logLevel: 'silent',
    });
    return { ok: true, file: join(dir, outfile), bytes: await gzipSize(join(dir, outfile)) };
  } catch (error) {
    return { ok: false, error: tail((error as Error).message, 12) };
  }
}

/** Where a package's folder is, as Node would find it from `from` (a folder inside node_modules, or the root). */
function packageDir(name: string, from: string): string {
  const nested = join(from, 'node_modules', name);
  if (existsSync(join(nested, 'package.json'))) return nested;
  const hoisted = join(ROOT, 'node_modules', name);
  if (existsSync(join(hoisted, 'package.json'))) return hoisted;
  throw new Error(
    `${name} is not in node_modules: run \`npm ci\` (the ecosystem app copies it from there)`,
  );
}

interface PackageJson {
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}
const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;

/**
 * Copies the package's dependencies, and theirs, into the app's node_modules from this repository's (the
 * versions package-lock.json pins, which `npm ci` installed), flat as npm lays them out. No registry is asked.
 */
function copyDependencies(packageRoot: string, modules: string): void {
  const copied = new Map<string, string>();
  const queue: [string, string][] = Object.keys(readPackage(packageRoot).dependencies ?? {}).map(
    (name) => [name, ROOT],
  );
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [name, from] = next;
    const source = packageDir(name, from);
    const version = readPackage(source).version;
    const seen = copied.get(name);
    if (seen !== undefined) {
      if (seen !== version) throw new Error(`two versions of ${name} needed: ${seen}, ${version}`);
      continue;
    }
    copied.set(name, version);
    cpSync(source, join(modules, name), { recursive: true, dereference: true });
    for (const dependency of Object.keys(readPackage(source).dependencies ?? {})) {
      queue.push([dependency, source]);
    }
  }
}

/**
 * Installs the package as a user gets it: `npm pack` of this repository's dist/ as it is built (`npm test` and
 * `npm run build` build it), the tarball unpacked into a new app's node_modules/authnzerver as npm does, its
 * dependencies copied from this repository's node_modules. Then copies the app's files there, makes the
 * CommonJS copy of app.js, and bundles the workerd and edge entries.
 */
export async function installApp(): Promise<InstalledApp> {
  const started = performance.now();
  if (!existsSync(join(ROOT, 'dist'))) {
    throw new Error('dist/ is not built: run `npm run build` first (`npm test` does)');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'authnzerver-ecosystem-'));
  const cleanup = (): void => {
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    // --ignore-scripts: the package as dist/ is now, without `prepare` rebuilding it.
    const pack = await runCommand(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp],
      { cwd: ROOT, timeoutMs: RUN_TIMEOUT_MS },
    );
    if (pack.code !== 0) throw new Error(`npm pack failed: ${tail(pack.stderr)}`);
    const tarball = join(tmp, (JSON.parse(pack.stdout) as [{ filename: string }])[0].filename);

    const dir = join(tmp, 'app');
    const packageRoot = join(dir, 'node_modules', 'authnzerver');
    mkdirSync(packageRoot, { recursive: true });
    const untar = await runCommand(
      'tar',
      ['-xzf', tarball, '-C', packageRoot, '--strip-components=1'],
      { cwd: tmp, timeoutMs: RUN_TIMEOUT_MS },
    );
    if (untar.code !== 0) throw new Error(`tar failed: ${tail(untar.stderr)}`);
    copyDependencies(packageRoot, join(dir, 'node_modules'));
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'ecosystem-app', private: true, type: 'module' }, null, 2)}\n`,
    );
    cpSync(APP_SOURCES, dir, { recursive: true });

    // The CommonJS copy of the same app code: imports become require() calls, nothing else changes.
    const { transform } = await import('esbuild');
    const cjs = await transform(readFileSync(join(dir, 'app.js'), 'utf8'), {
      format: 'cjs',
      target: 'node20',
      sourcefile: 'app.js',
    });
    writeFileSync(join(dir, 'cjs', 'app.js'), cjs.code);

    const [worker, edge] = await Promise.all([
      // wrangler's conditions, without nodejs_compat: nothing from node: may be in the bundle.
      bundle(dir, 'worker.js', 'worker.bundle.mjs', 'esm', ['workerd', 'worker', 'browser']),
      // The conditions Next.js gives edge code.
      bundle(dir, 'edge.js', 'edge.bundle.js', 'iife', ['edge-light', 'worker', 'browser']),
    ]);
    const { STEPS } = (await import(pathToFileURL(join(dir, 'app.js')).href)) as {
      STEPS: readonly string[];
    };
    return {
      tmp,
      dir,
      version: readPackage(packageRoot).version,
      worker,
      edge,
      steps: STEPS,
      installMs: performance.now() - started,
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** A test server for one run, and the control server through which the app asks for a fault. */
export interface Fixture {
  readonly server: AuthnzerverTestServer;
  /** The control server's URL: `POST <control>fault` queues one HTTP 500. */
  readonly control: string;
  /** How many faults the app asked for. */
  readonly faultsAsked: () => number;
  close(): Promise<void>;
}

/**
 * Starts `createTestServer`, from the installed package's `authnzerver/testing`, in this process, with the
 * given options (none for the apps: the defaults), and the control server beside it.
 */
export async function startFixture(
  app: InstalledApp,
  options?: CreateTestServerOptions,
): Promise<Fixture> {
  const kit = (await import(pathToFileURL(join(app.dir, 'kit.js')).href)) as {
    createTestServer: (options?: CreateTestServerOptions) => Promise<AuthnzerverTestServer>;
  };
  const server = await kit.createTestServer(options);
  let asked = 0;
  const control: Server = createServer((request, response) => {
    request.resume();
    if (request.method === 'POST' && request.url === '/fault') {
      asked++;
      server.fault({ kind: 'status', status: 500 });
      response.writeHead(204).end();
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  return {
    server,
    control: `http://127.0.0.1:${(control.address() as AddressInfo).port}/`,
    faultsAsked: () => asked,
    async close() {
      control.closeAllConnections();
      await new Promise<void>((resolve) => {
        control.close(() => {
          resolve();
        });
      });
      await server.close();
    },
  };
}

/** The request types the test server must have received, in order (the faulted one is not decrypted). */
export const EXPECTED_TYPES: readonly string[] = [
  'session-new',
  'session-exists',
  'user-new',
  'user-set-emailverified',
  'user-login',
  'session-new',
  'apikey-new',
  'apikey-verify',
];

/** A Jest project of ecosystem-tests/jest*\/ and the Jest that runs it. */
export interface JestProject {
  readonly name: string;
  /** The folder in ecosystem-tests/. */
  readonly source: string;
  /** Jest's bin: jest29 for a folder whose name has 29, else jest (30). */
  readonly bin: string;
}

/** The Jest projects in ecosystem-tests/: each folder whose name starts with `jest`. */
export function jestProjects(): JestProject[] {
  const base = join(ROOT, 'ecosystem-tests');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('jest'))
    .map((entry) => ({
      name: entry.name,
      source: join(base, entry.name),
      bin: join(
        ROOT,
        'node_modules',
        entry.name.includes('29') ? 'jest29' : 'jest',
        'bin',
        'jest.js',
      ),
    }));
}

/** What a Jest run gave: Jest's summary, or why there is none. */
export interface JestOutcome {
  readonly passed: number;
  readonly failed: number;
  readonly version: string;
  readonly problem?: string;
  readonly output: string;
}

/**
 * Runs a Jest project as its user would, with its own config (the default when it has none): copied next to the
 * installed package (without any node_modules of its own), `jest --ci` in its folder.
 */
export async function runJest(app: InstalledApp, project: JestProject): Promise<JestOutcome> {
  const dir = join(app.dir, project.name);
  cpSync(project.source, dir, {
    recursive: true,
    filter: (source) => !source.split(/[\\/]/).includes('node_modules'),
  });
  const results = join(app.tmp, `${project.name}.json`);
  const version = readPackage(join(project.bin, '..', '..')).version;
  const result = await runCommand(
    process.execPath,
    [project.bin, '--ci', '--json', `--outputFile=${results}`],
    { cwd: dir, env: baseEnv(), timeoutMs: RUN_TIMEOUT_MS },
  );
  const output = tail(`${result.stderr}\n${result.stdout}`);
  if (!existsSync(results)) {
    return {
      passed: 0,
      failed: 0,
      version,
      problem: `no Jest results (exit code ${result.code})`,
      output,
    };
  }
  const summary = JSON.parse(readFileSync(results, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  const problem = result.timedOut
    ? `no end after ${RUN_TIMEOUT_MS} ms`
    : result.code !== 0
      ? `exit code ${result.code}`
      : undefined;
  return {
    passed: summary.numPassedTests,
    failed: summary.numFailedTests,
    version,
    ...(problem === undefined ? {} : { problem }),
    output,
  };
}
