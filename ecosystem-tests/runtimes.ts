/**
 * The runtimes the app runs on, and how one run is read: the app's configuration, its report, and how it ended.
 */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { InstalledApp } from './install.js';
import { baseEnv, ROOT, RUN_TIMEOUT_MS, runCommand, tail } from './process.js';

const BIN = join(ROOT, 'node_modules', '.bin');
const EDGE_HOST = join(ROOT, 'ecosystem-tests', 'edge-host.js');

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
