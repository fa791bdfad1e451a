import { spawn, type ChildProcess } from 'node:child_process';
import type { Authnzerver } from 'authnzerver';

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

export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
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
