/**
 * The `load` section: many `sessionExists` calls at a high concurrency against the test server: that every call is
 * answered exactly once, the heap after GC before and after, and the TCP sockets open at most and after `close()`.
 */
import { Authnzerver } from 'authnzerver';
import {
  BENCH_IP as IP,
  benchSession,
  expectSuccess,
  fmt,
  measure,
  printTable,
  startTestServer,
  type BenchOptions,
  type Goal,
  type SectionResult,
} from './lib.js';

const CONCURRENCY = 100;
const POOL = 64;

/** What the run gives, before the client closes. */
interface LoadRun {
  readonly seconds: number;
  readonly answered: number;
  readonly answeredOnceEach: boolean;
  readonly failures: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
  readonly maxSockets: number;
  readonly socketsAfterRun: number;
}

function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

/** `requests` calls at {@link CONCURRENCY} after a warm-up, counting the answers per reqid and the sockets. */
async function loadRun(
  client: Authnzerver,
  token: string,
  requests: number,
  gc: () => void,
): Promise<LoadRun> {
  // Warm up, then settle the heap.
  await measure(
    async () => {
      await client.sessionExists({ session_token: token, client_ipaddr: IP });
    },
    2000,
    CONCURRENCY,
  );
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let maxSockets = tcpSockets();
  const sampler = setInterval(() => {
    maxSockets = Math.max(maxSockets, tcpSockets());
  }, 20);
  const answered = new Map<string | number, number>();
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < requests) {
        issued++;
        const result = await client.sessionExists({ session_token: token, client_ipaddr: IP });
        answered.set(result.reqid, (answered.get(result.reqid) ?? 0) + 1);
        if (!result.success) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const socketsAfterRun = tcpSockets();
  const answeredOnceEach = [...answered.values()].every((n) => n === 1);
  const answeredCount = answered.size;
  // The bench's own bookkeeping goes before the heap is measured again.
  answered.clear();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  return {
    seconds,
    answered: answeredCount,
    answeredOnceEach,
    failures,
    heapBefore,
    heapAfter,
    maxSockets,
    socketsAfterRun,
  };
}

/** The section's figures for results.json, from the run and the sockets left after `close()`. */
function loadFigures(run: LoadRun, requests: number, socketsAfterClose: number) {
  return {
    requests,
    concurrency: CONCURRENCY,
    seconds: run.seconds,
    rps: requests / run.seconds,
    answered: run.answered,
    answeredOnceEach: run.answeredOnceEach,
    failures: run.failures,
    heapBeforeMB: run.heapBefore / 2 ** 20,
    heapAfterMB: run.heapAfter / 2 ** 20,
    heapGrowthMB: (run.heapAfter - run.heapBefore) / 2 ** 20,
    pool: POOL,
    maxSockets: run.maxSockets,
    socketsAfterRun: run.socketsAfterRun,
    socketsAfterClose,
  };
}

type LoadFigures = ReturnType<typeof loadFigures>;

/** Runs the section. */
export async function benchLoad({ quick, log }: BenchOptions): Promise<SectionResult> {
  const requests = quick ? 5000 : 50_000;
  const server = await startTestServer();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the bench with --expose-gc (npm run bench does)');
  const client = new Authnzerver({ url: server.url, secret: server.secret, connections: POOL });
  const session = await benchSession(client, null);
  expectSuccess(session);
  const run = await loadRun(client, session.response.session_token, requests, gc);
  await client.close();
  server.stop();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const load = loadFigures(run, requests, tcpSockets());
  printLoad(log, load);
  return { results: { load }, goals: [loadGoal(load)] };
}

/** The heap growth with its sign, in MB. */
const growth = (load: LoadFigures): string =>
  `${load.heapGrowthMB >= 0 ? '+' : ''}${fmt(load.heapGrowthMB, 2)}`;

function printLoad(log: (line: string) => void, load: LoadFigures): void {
  printTable(
    log,
    `Load: ${load.requests} sessionExists calls at concurrency ${CONCURRENCY} against the test server (pool ${POOL})`,
    ['figure', 'value'],
    [
      ['requests/s', fmt(load.rps, 0)],
      [
        'calls answered (each exactly once)',
        `${load.answered} (${load.answeredOnceEach ? 'yes' : 'NO'})`,
      ],
      ['failures', String(load.failures)],
      [
        'heap after GC, before → after (MB)',
        `${fmt(load.heapBeforeMB)} → ${fmt(load.heapAfterMB)} (${growth(load)})`,
      ],
      [
        'TCP sockets: most at once / after the run / after close',
        `${load.maxSockets} / ${load.socketsAfterRun} / ${load.socketsAfterClose}`,
      ],
    ],
  );
}

function loadGoal(load: LoadFigures): Goal {
  return {
    goal: `load: ${load.requests} calls at concurrency ${CONCURRENCY}, each answered once, heap and sockets bounded`,
    target: `every call once; heap growth < 5 MB; sockets ≤ ${POOL}, 0 after close`,
    value: `${load.answered} once each: ${load.answeredOnceEach}; ${growth(load)} MB; ${load.maxSockets} sockets, ${load.socketsAfterClose} after close`,
    met:
      load.answered === load.requests &&
      load.answeredOnceEach &&
      load.failures === 0 &&
      load.heapGrowthMB < 5 &&
      load.maxSockets <= POOL &&
      load.socketsAfterClose === 0,
  };
}
