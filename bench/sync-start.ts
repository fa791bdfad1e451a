/** The `sync` section, second part: the first sync call of a process (it starts the worker) against a warm one. */
import {
  fmt,
  fmtSpread,
  printTable,
  runModule,
  startPasscheckServer,
  summarize,
  type BenchOptions,
  type SectionResult,
} from './lib.js';
import { BODY, secret } from './passcheck.js';

/** A fresh process's module, on the built package: its first sync call, and the median of 20 warm ones, in ms. */
function firstSyncModule(url: string): string {
  return `
    const { Authnzerver } = await import('authnzerver');
    const client = new Authnzerver({ url: ${JSON.stringify(url)}, secret: ${JSON.stringify(secret)} });
    const body = ${JSON.stringify(BODY)};
    const call = () => {
      const t = performance.now();
      const result = client.sync.userPasscheck(body);
      if (!result.success) throw new Error('bench: ' + result.failure + ': ' + result.failureReason);
      return performance.now() - t;
    };
    const first = call();
    const warm = [];
    for (let i = 0; i < 20; i++) warm.push(call());
    warm.sort((a, b) => a - b);
    await client.close();
    process.stdout.write(JSON.stringify({ first, warm: warm[10] }));`;
}

/** Runs the part. */
export async function benchSyncStart({ reps, log }: BenchOptions): Promise<SectionResult> {
  const server = await startPasscheckServer(secret);
  // A fresh process per run, on the built package: what an app's first sync call costs.
  const code = firstSyncModule(server.url);
  const runs: { first: number; warm: number }[] = [];
  for (let rep = 0; rep < reps * 2; rep++) {
    const run = await runModule(code);
    if (run.code !== 0) throw new Error(`bench: the first-sync process failed:\n${run.output}`);
    runs.push(JSON.parse(run.output) as { first: number; warm: number });
  }
  server.stop();
  const first = summarize(runs.map((r) => r.first));
  const warm = summarize(runs.map((r) => r.warm));
  const extra = summarize(runs.map((r) => r.first - r.warm));
  printTable(
    log,
    `The first sync call of a process against a warm one, ${runs.length} processes (median, min–max)`,
    ['call', 'ms'],
    [
      ['first (starts the worker)', fmtSpread(first, 1)],
      ['warm', fmtSpread(warm, 2)],
      ['first − warm', fmtSpread(extra, 1)],
    ],
  );
  return {
    results: { syncStart: { first, warm, extra } },
    goals: [
      {
        goal: 'the first sync call of a process, over a warm one',
        target: '≤ 100 ms',
        value: `${fmt(extra.median, 1)} ms`,
        met: extra.median <= 100,
      },
    ],
  };
}
