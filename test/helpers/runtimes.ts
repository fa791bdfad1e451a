/**
 * Running bundled sources in the real runtimes, for the runtime tests (test/platform, test/web): Cloudflare
 * Workers (workerd in Miniflare) and the Vercel edge runtime (`edge-runtime`) in this process, each answering one
 * request with a JSON report; Bun and Deno as child processes from node_modules/.bin, with generous limits, in a
 * scratch folder that sees the repository's node_modules, printing the report as their last line.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';
import { Miniflare } from 'miniflare';
import { ROOT, bundleFor } from '../platform/bundle.js';
import { runProgram, type Finished } from './processes.js';

/** Cold starts of a runtime and its bundle on a busy machine: generous. */
export const RUNTIME_LIMIT_MS = 120_000;

/** The runtimes run as child processes. */
export type ChildRuntime = 'bun' | 'deno';

/** A temporary folder for bundles, with the repository's node_modules linked in (externals load from there). */
export interface Scratch {
  readonly dir: string;
  /** Deletes the folder. */
  remove(): void;
}

/** Makes a scratch folder named from `prefix` under the system's temporary folder. */
export function makeScratch(prefix: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs a binary from node_modules/.bin in `cwd` to its end; a run past the limit (a little under
 * `RUNTIME_LIMIT_MS`, so the test reports it) is killed and has a null code.
 */
export function runBinary(name: string, args: readonly string[], cwd: string): Promise<Finished> {
  return runProgram(join(ROOT, 'node_modules', '.bin', name), args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    limitMs: RUNTIME_LIMIT_MS - 10_000,
  });
}

/**
 * Bundles `contents` (source text, resolved from the repository's root) for `runtime` (Node-like: `node:` modules
 * stay external), writes it into `scratch` as `name`, and runs it there as a script with `args`.
 */
export async function runBundled(
  runtime: ChildRuntime,
  scratch: Scratch,
  name: string,
  contents: string,
  args: readonly string[] = [],
): Promise<Finished> {
  const bundle = await bundleFor({ contents, conditions: [runtime, 'node'], webOnly: false });
  const file = join(scratch.dir, name);
  writeFileSync(file, bundle.code);
  const command = runtime === 'bun' ? [file] : ['run', '--allow-all', '--quiet', file];
  return runBinary(runtime, [...command, ...args], scratch.dir);
}

/**
 * Bundles a Workers module for workerd (no `node:` module) that answers a request with the JSON of `call` (an
 * expression of a Promise, after `imports`), runs it in Miniflare and returns that JSON.
 */
export async function reportFromWorkerd<T>(
  imports: string,
  call: string,
  compatibilityFlags: string[] = [],
): Promise<T> {
  const bundle = await bundleFor({
    contents: `${imports}\nexport default { async fetch() { return Response.json(await ${call}); } };`,
    conditions: ['workerd', 'worker', 'browser'],
    webOnly: true,
  });
  const mf = new Miniflare({
    modules: true,
    script: bundle.code,
    compatibilityDate: '2025-06-01',
    compatibilityFlags,
  });
  try {
    const response = await mf.dispatchFetch('http://localhost/');
    return (await response.json()) as T;
  } finally {
    await mf.dispose();
  }
}

/**
 * Bundles a script for the edge runtime (edge-light, no `node:` module) that answers a request with the JSON of
 * `call` (an expression of a Promise, after `imports`), runs it there and returns that JSON.
 */
export async function reportFromEdgeRuntime<T>(imports: string, call: string): Promise<T> {
  const bundle = await bundleFor({
    contents: `${imports}\naddEventListener('fetch', (event) => event.respondWith(${call}.then((report) => new Response(JSON.stringify(report)))));`,
    conditions: ['edge-light', 'worker', 'browser'],
    webOnly: true,
    format: 'iife',
  });
  const runtime = new EdgeRuntime({ initialCode: bundle.code });
  const response = await runtime.dispatchFetch('http://localhost/');
  return JSON.parse(await response.text()) as T;
}

/**
 * Bundles a script that prints the JSON of `call` (an expression of a Promise, after `imports`), runs it in
 * `runtime` (see {@link runBundled}) and returns that JSON.
 * @throws {Error} with the runtime's stderr when the script does not exit with 0.
 */
export async function reportFromChild<T>(
  runtime: ChildRuntime,
  scratch: Scratch,
  name: string,
  imports: string,
  call: string,
): Promise<T> {
  const run = await runBundled(
    runtime,
    scratch,
    name,
    `${imports}\nconsole.log(JSON.stringify(await ${call}));`,
  );
  if (run.code !== 0) throw new Error(`${runtime} exited with ${String(run.code)}:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as T;
}
