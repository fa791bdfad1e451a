/**
 * The runtimes bench: requests per second at concurrency 1 on every runtime of the ecosystem tests (Node ESM with
 * each transport, Node CommonJS, Bun, Deno, workerd, the edge runtime), the same code on each (`runBench` of
 * ecosystem-tests/app/app.js: session-exists calls one after the other, timed inside the runtime), against one
 * Node test server in this process, the package installed from its tarball. A figure to report, with no goal.
 */
import { installApp, RUNTIMES, startFixture } from '../ecosystem-tests/lib.js';
import { fmt, printTable, type BenchOptions, type SectionResult } from './lib.js';

/** One runtime's row: its figures, or why it has none. */
export interface RuntimeRow {
  readonly runtime: string;
  readonly transport: string;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly msPerCall: number;
  readonly error?: string;
}

/**
 * Runs the bench on each runtime in turn (`requests` timed calls after `warmup` calls) and returns the rows.
 * Needs dist/ built (`npm run bench` builds it).
 */
async function runtimeRows(options: {
  readonly requests: number;
  readonly warmup: number;
}): Promise<RuntimeRow[]> {
  const app = await installApp();
  // No rate limits: thousands of calls from one address would meet them.
  const fixture = await startFixture(app, { rateLimits: false });
  const rows: RuntimeRow[] = [];
  try {
    for (const runtime of RUNTIMES) {
      const outcome = await runtime.run(app, {
        url: fixture.server.url,
        secret: fixture.server.secret,
        control: fixture.control,
        ip: '203.0.113.200',
        transport: runtime.transport,
        mode: 'bench',
        requests: options.requests,
        warmup: options.warmup,
      });
      const report = outcome.report;
      if (report?.ok === true && report.seconds !== undefined && report.requests !== undefined) {
        rows.push({
          runtime: runtime.name,
          transport: report.transport ?? 'unknown',
          requests: report.requests,
          reqPerSec: report.requests / report.seconds,
          msPerCall: (report.seconds * 1000) / report.requests,
        });
      } else {
        const error = report?.error ?? outcome.problem ?? 'no report';
        rows.push({
          runtime: runtime.name,
          transport: runtime.transport ?? 'default',
          requests: 0,
          reqPerSec: Number.NaN,
          msPerCall: Number.NaN,
          error: error.split('\n')[0] ?? error,
        });
      }
    }
  } finally {
    await fixture.close();
    app.cleanup();
  }
  return rows;
}

/** Runs the section: a table of the rows, and the rows as `runtimes` in results.json. */
export async function benchRuntimes({ quick, log }: BenchOptions): Promise<SectionResult> {
  const options = { requests: quick ? 200 : 1000, warmup: quick ? 20 : 100 };
  const rows = await runtimeRows(options);
  printTable(
    log,
    `Requests per second at concurrency 1 on each runtime (session-exists, ${options.requests} calls after ${options.warmup}; one Node test server)`,
    ['runtime', 'transport', 'req/s', 'ms/call'],
    rows.map((row) => [
      row.runtime,
      row.transport,
      row.error === undefined ? fmt(row.reqPerSec, 0) : 'failed',
      fmt(row.msPerCall, 2),
    ]),
  );
  for (const row of rows) {
    if (row.error !== undefined) log(`${row.runtime} failed: ${row.error.slice(0, 200)}`);
  }
  return { results: { runtimes: rows }, goals: [] };
}
