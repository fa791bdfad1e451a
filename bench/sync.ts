/** The `sync` section, first part: sequential `userPasscheck` calls, async and then through `client.sync`. */
import { Authnzerver } from 'authnzerver';
import {
  expectSuccess,
  fmt,
  fmtRatio,
  fmtSpread,
  printTable,
  startPasscheckServer,
  summarize,
  type BenchOptions,
  type SectionResult,
} from './lib.js';
import { BODY, secret } from './passcheck.js';

/** One run of sequential calls: wall time and client CPU (all threads) per call. */
interface SequentialRun {
  readonly msPerCall: number;
  readonly cpuMicros: number;
}

/** Makes `count` calls one after the other, async or sync, and measures them. */
async function sequential(
  client: Authnzerver,
  count: number,
  sync: boolean,
): Promise<SequentialRun> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    expectSuccess(sync ? client.sync.userPasscheck(BODY) : await client.userPasscheck(BODY));
  }
  const used = process.cpuUsage(cpu);
  return {
    msPerCall: (performance.now() - started) / count,
    cpuMicros: (used.user + used.system) / count,
  };
}

/** Runs the part. */
export async function benchSync({ quick, reps, log }: BenchOptions): Promise<SectionResult> {
  const server = await startPasscheckServer(secret);
  const client = new Authnzerver({ url: server.url, secret });
  const count = quick ? 300 : 2000;
  await sequential(client, count, false);
  await sequential(client, count, true);
  const asyncRuns: SequentialRun[] = [];
  const syncRuns: SequentialRun[] = [];
  for (let rep = 0; rep < reps; rep++) {
    asyncRuns.push(await sequential(client, count, false));
    syncRuns.push(await sequential(client, count, true));
  }
  await client.close();
  server.stop();
  const asyncMs = summarize(asyncRuns.map((r) => r.msPerCall));
  const syncMs = summarize(syncRuns.map((r) => r.msPerCall));
  const asyncCpu = summarize(asyncRuns.map((r) => r.cpuMicros));
  const syncCpu = summarize(syncRuns.map((r) => r.cpuMicros));
  printTable(
    log,
    `Sync against async, ${count} sequential userPasscheck calls × ${reps} (median, min–max)`,
    ['call', 'ms per call', 'CPU µs per call (all threads)', 'ratio (time / CPU)'],
    [
      ['async', fmtSpread(asyncMs, 3), fmt(asyncCpu.median), '1.00× / 1.00×'],
      [
        'sync',
        fmtSpread(syncMs, 3),
        fmt(syncCpu.median),
        `${fmtRatio(syncMs.median / asyncMs.median)} / ${fmtRatio(syncCpu.median / asyncCpu.median)}`,
      ],
    ],
  );
  const worst = Math.max(syncMs.median / asyncMs.median, syncCpu.median / asyncCpu.median);
  return {
    results: {
      sync: {
        async: { msPerCall: asyncMs, cpuMicros: asyncCpu },
        sync: { msPerCall: syncMs, cpuMicros: syncCpu },
      },
    },
    goals: [
      {
        goal: 'a sync call against an async call (time and CPU)',
        // Issue 21's goal (it once measured 0.87×); a miss is reported as a miss, never loosened here.
        target: '≤ 1.2×',
        value: fmtRatio(worst),
        met: worst <= 1.2,
      },
    ],
  };
}
