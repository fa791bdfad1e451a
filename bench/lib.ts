import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Authnzerver } from 'authnzerver';

/** The repository, the working folder of the commands the sections time. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The client address every bench call gives. */
export const BENCH_IP = '203.0.113.7';

/** `session-new` for `userId` (null: an anonymous session), lasting past any bench run, from {@link BENCH_IP}. */
export function benchSession(
  client: Authnzerver,
  userId: number | null,
): ReturnType<Authnzerver['sessionNew']> {
  return client.sessionNew({
    ip_address: BENCH_IP,
    user_agent: 'bench',
    user_id: userId,
    expires: '2099-01-01T00:00:00.000000',
    extra_info_json: null,
    client_ipaddr: BENCH_IP,
  });
}

/** What every section is given by bench/run.ts. */
export interface BenchOptions {
  /** `BENCH_QUICK=1`: fewer and shorter runs, a smoke check whose figures are noisy. */
  readonly quick: boolean;
  /** How many times a section repeats a measurement to take the median (fewer when quick). */
  readonly reps: number;
  /** Prints one line of the report. */
  readonly log: (line: string) => void;
}

/** One row of the goals table. */
export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly value: string;
  readonly met: boolean;
}

/** What a section gives bench/run.ts: its top-level keys of results.json, and its goal rows. */
export interface SectionResult {
  readonly results: Record<string, unknown>;
  readonly goals: readonly Goal[];
}

/** Throws unless a call succeeded: the sections measure answered calls only. */
export function expectSuccess<
  T extends { readonly success: boolean; readonly failure: string | null },
>(result: T, what = 'bench'): asserts result is Extract<T, { readonly success: true }> {
  if (!result.success) throw new Error(`${what}: ${result.failure ?? 'failed'}`);
}

/** One measured run of `requests` calls at a concurrency. */
export interface Run {
  readonly requests: number;
  readonly seconds: number;
  /** Client process CPU (user + system, every thread) per request, in microseconds. */
  readonly cpuMicros: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Runs `call` `requests` times with `concurrency` workers, and measures time, client CPU and latencies. */
export async function measure(
  call: () => Promise<void>,
  requests: number,
  concurrency: number,
): Promise<Run> {
  const latencies: number[] = new Array<number>(requests);
  let issued = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (issued < requests) {
      const index = issued++;
      const t0 = performance.now();
      await call();
      latencies[index] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    requests,
    seconds,
    cpuMicros: (used.user + used.system) / requests,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** Starts a child process that prints one JSON line when it is ready, and returns that line. */
export async function startChild<T>(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; ready: T }> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line !== undefined) resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { child, ready };
}

/** A server in a child process of its own: where it listens, and how to stop it. */
export interface ChildServer {
  readonly url: string;
  readonly stop: () => void;
}

/**
 * The HTTP sections' server (bench/server.ts) in a process of its own, so that its CPU is not counted as the
 * client's: it decrypts every request with `secret` and answers as `user-passcheck`.
 */
export async function startPasscheckServer(secret: string): Promise<ChildServer> {
  const { child, ready } = await startChild<{ port: number }>(
    ['--import', 'tsx', join(ROOT, 'bench/server.ts')],
    { BENCH_SECRET: secret },
  );
  return { url: `http://127.0.0.1:${ready.port}/`, stop: () => child.kill('SIGTERM') };
}

/** The test server (bench/test-server.ts), its rate limits off, in a process of its own. */
export async function startTestServer(): Promise<ChildServer & { readonly secret: string }> {
  const { child, ready } = await startChild<{ url: string; secret: string }>(
    ['--import', 'tsx', join(ROOT, 'bench/test-server.ts')],
    {},
  );
  return { url: ready.url, secret: ready.secret, stop: () => child.kill('SIGTERM') };
}

/** Runs a command to its end and returns its wall time in milliseconds. */
export function timeCommand(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ ms: number; code: number | null; output: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ ms: performance.now() - started, code, output }));
  });
}

/** Runs `code` as an ES module in a fresh Node process, in the repository, as an app would import the package. */
export function runModule(code: string): ReturnType<typeof timeCommand> {
  return timeCommand(process.execPath, ['--input-type=module', '-e', code], ROOT);
}

/** A number with `digits` decimals, or `n/a`. */
export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** A summary as the tables show it: the median, then the min–max in brackets. */
export function fmtSpread(summary: Summary, digits = 1): string {
  return `${fmt(summary.median, digits)} (${fmt(summary.min, digits)}–${fmt(summary.max, digits)})`;
}

/** A ratio as the tables show it: `1.07×`. */
export function fmtRatio(value: number, digits = 2): string {
  return `${fmt(value, digits)}×`;
}

/** A text table with right-aligned numbers. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Prints a table under its title, after a blank line, as every section does. */
export function printTable(
  log: (line: string) => void,
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  log(`\n${title}`);
  log(table(header, rows));
}

/** The goals table, one row per goal, `NO` where a goal is not met. */
export function goalsTable(goals: readonly Goal[]): string {
  return table(
    ['goal', 'target', 'this run', 'met'],
    goals.map((g) => [g.goal, g.target, g.value, g.met ? 'yes' : 'NO']),
  );
}

/** Writes the run's figures to bench/results.json: two-space JSON and a final newline. */
export function writeResults(results: Record<string, unknown>): void {
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}
