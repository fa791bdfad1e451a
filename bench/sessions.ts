/**
 * The `sessions` section of `npm run bench` (issue 24): requests per second of an authenticated page in Express,
 * against what a user would pick instead, in one run. Each contender is the same Express app in a process of its
 * own (bench/session-app.ts) serving `GET /account`, which reads the user id from the session and answers a small
 * body; the load generator (this process, undici at a fixed concurrency, one connection per worker) sends the
 * same logged-in cookie on every request:
 *
 * - Express alone, no session: the floor;
 * - our `authnzerver()` adapter with the session cache on (5 s) and off, against the test server in a process of
 *   its own, so that each `session-exists` is a real loopback round trip with Fernet at both ends;
 * - express-session with its MemoryStore;
 * - iron-session (the session sealed in the cookie).
 *
 * The contenders run by turns in each repetition, and the ratios are taken within each repetition. Besides
 * req/s, the CPU of each process per request (the app, the auth server and the load generator; Linux's
 * /proc) shows where the time goes. Goal: with the cache on, ≥ 0.9× express-session's req/s.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { Authnzerver } from 'authnzerver';
import {
  ROOT,
  fmt,
  fmtRatio,
  fmtSpread,
  measure,
  printTable,
  startChild,
  summarize,
  type BenchOptions,
  type Goal,
  type SectionResult,
  type Summary,
} from './lib.js';
import { userSession } from './web.js';

/** The contenders, by `BENCH_APP` name, in the table's order. */
const CONTENDERS = [
  ['none', 'Express alone, no session (the floor)'],
  ['ours-cache', 'ours: authnzerver() adapter, cache on (5 s)'],
  ['ours', 'ours: authnzerver() adapter, cache off'],
  ['express-session', 'express-session, MemoryStore'],
  ['iron-session', 'iron-session, sealed cookie'],
] as const;

type Contender = (typeof CONTENDERS)[number][0];

/** The concurrency of the load: requests in flight at once, one connection each. */
const CONCURRENCY = 16;

/** The clock ticks per second of /proc's CPU times. */
const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's CPU (user + system) so far in microseconds, from /proc; NaN where there is no /proc. */
function cpuMicrosOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command's name.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** One contender's app: its process, its connection pool, and the request the load sends. */
interface App {
  readonly child: ChildProcess;
  readonly pool: Pool;
  readonly call: () => Promise<void>;
}

/** Sends `GET path` and gives the status, the body and the Set-Cookie header. */
async function get(
  pool: Pool,
  path: string,
  cookie: string | undefined,
): Promise<{ status: number; body: string; setCookie: string | undefined }> {
  const reply = await pool.request({
    path,
    method: 'GET',
    headers: cookie === undefined ? {} : { cookie },
  });
  const setCookie = reply.headers['set-cookie'];
  return {
    status: reply.statusCode,
    body: await reply.body.text(),
    setCookie: Array.isArray(setCookie) ? setCookie[0] : setCookie,
  };
}

/** Starts a contender's app and logs its user in: the request of the load, checked on every call. */
async function startApp(
  kind: Contender,
  auth: { url: string; secret: string; cookie: string },
): Promise<App> {
  const { child, ready } = await startChild<{ port: number }>(
    ['--import', 'tsx', join(ROOT, 'bench/session-app.ts')],
    { BENCH_APP: kind, BENCH_AZ_URL: auth.url, BENCH_AZ_SECRET: auth.secret },
  );
  const pool = new Pool(`http://127.0.0.1:${ready.port}`, { connections: CONCURRENCY });
  let cookie: string | undefined;
  if (kind === 'ours' || kind === 'ours-cache') cookie = auth.cookie;
  if (kind === 'express-session' || kind === 'iron-session') {
    const login = await get(pool, '/login', undefined);
    if (login.status !== 200 || login.setCookie === undefined) {
      throw new Error(`bench sessions: ${kind} did not log in (${login.status})`);
    }
    cookie = login.setCookie.split(';')[0];
  }
  const first = await get(pool, '/account', cookie);
  if (first.status !== 200 || !/^user \d+$/.test(first.body)) {
    throw new Error(`bench sessions: ${kind} answered ${first.status} ${first.body}`);
  }
  const call = async (): Promise<void> => {
    const page = await get(pool, '/account', cookie);
    if (page.status !== 200 || page.body !== first.body) {
      throw new Error(`bench sessions: ${kind} answered ${page.status} ${page.body}`);
    }
  };
  return { child, pool, call };
}

/** One contender's figures in one repetition. */
interface Slice {
  readonly reqPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly appCpuMicros: number;
  readonly authCpuMicros: number;
  readonly loadCpuMicros: number;
}

/** A contender's running sums over the slices of one repetition. */
interface Sums {
  requests: number;
  seconds: number;
  appCpu: number;
  authCpu: number;
  loadCpu: number;
  p50: number[];
  p99: number[];
}

/** Runs `requests` calls of a contender at the concurrency, adding its time and each process's CPU to `sums`. */
async function slice(
  app: App,
  authPid: number | undefined,
  requests: number,
  sums: Sums,
): Promise<void> {
  const app0 = cpuMicrosOf(app.child.pid);
  const auth0 = cpuMicrosOf(authPid);
  const run = await measure(app.call, requests, CONCURRENCY);
  sums.requests += run.requests;
  sums.seconds += run.seconds;
  sums.appCpu += cpuMicrosOf(app.child.pid) - app0;
  sums.authCpu += cpuMicrosOf(authPid) - auth0;
  sums.loadCpu += run.cpuMicros * run.requests;
  sums.p50.push(run.p50Ms);
  sums.p99.push(run.p99Ms);
}

/** A repetition's figures of one contender, from its sums. */
function sliceOf(sums: Sums): Slice {
  return {
    reqPerSecond: sums.requests / sums.seconds,
    p50Ms: summarize(sums.p50).median,
    p99Ms: summarize(sums.p99).median,
    appCpuMicros: sums.appCpu / sums.requests,
    authCpuMicros: sums.authCpu / sums.requests,
    loadCpuMicros: sums.loadCpu / sums.requests,
  };
}

/** A contender's medians over the repetitions (min–max for req/s and its ratio to express-session). */
interface Figures {
  readonly reqPerSecond: Summary;
  readonly vsExpressSession: Summary;
  /** The app process's CPU per request against express-session's, within each repetition. */
  readonly appCpuVsExpressSession: Summary;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly appCpuMicros: number;
  readonly authCpuMicros: number;
  readonly loadCpuMicros: number;
}

function figuresOf(kind: Contender, reps: readonly Record<Contender, Slice>[]): Figures {
  const median = (pick: (s: Slice) => number): number =>
    summarize(reps.map((r) => pick(r[kind]))).median;
  return {
    reqPerSecond: summarize(reps.map((r) => r[kind].reqPerSecond)),
    vsExpressSession: summarize(
      reps.map((r) => r[kind].reqPerSecond / r['express-session'].reqPerSecond),
    ),
    appCpuVsExpressSession: summarize(
      reps.map((r) => r[kind].appCpuMicros / r['express-session'].appCpuMicros),
    ),
    p50Ms: median((s) => s.p50Ms),
    p99Ms: median((s) => s.p99Ms),
    appCpuMicros: median((s) => s.appCpuMicros),
    authCpuMicros: median((s) => s.authCpuMicros),
    loadCpuMicros: median((s) => s.loadCpuMicros),
  };
}

/**
 * The cost of the central auth server, from the CPU per request of every process: what the cache-off page costs
 * over the cache-on one, the app's share (the client's envelope, Fernet, HTTP and the reply's check) and the
 * auth server's (decrypt, look-up, encrypt, HTTP), and that as a share of the cache-off page's whole CPU.
 */
function roundTripCost(on: Figures, off: Figures) {
  const total = (f: Figures): number => f.appCpuMicros + f.authCpuMicros + f.loadCpuMicros;
  const appMicros = off.appCpuMicros - on.appCpuMicros;
  const authMicros = off.authCpuMicros - on.authCpuMicros;
  return {
    appMicros,
    authMicros,
    totalOffMicros: total(off),
    totalOnMicros: total(on),
    shareOfOff: (total(off) - total(on)) / total(off),
    latencyP50Ms: off.p50Ms - on.p50Ms,
  };
}

/** Runs the section. */
export async function benchSessions({ quick, reps, log }: BenchOptions): Promise<SectionResult> {
  const { child: authChild, ready } = await startChild<{ url: string; secret: string }>(
    ['--import', 'tsx', join(ROOT, 'bench/test-server.ts')],
    {},
  );
  const client = new Authnzerver({ url: ready.url, secret: ready.secret });
  const apps: Partial<Record<Contender, App>> = {};
  try {
    const cookie = `azsession=${await userSession(client)}`;
    for (const [kind] of CONTENDERS) {
      apps[kind] = await startApp(kind, { url: ready.url, secret: ready.secret, cookie });
    }
    const rounds = quick ? 3 : 8;
    const sliceRequests = 500;
    for (const [kind] of CONTENDERS) await measure((apps[kind] as App).call, 1000, CONCURRENCY);
    // Fine interleaving: each repetition runs the contenders by turns, a slice at a time, so that the other
    // load of a shared machine hits them alike; the ratios are taken within each repetition.
    const perRep: Record<Contender, Slice>[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const sums = Object.fromEntries(
        CONTENDERS.map(([kind]) => [
          kind,
          { requests: 0, seconds: 0, appCpu: 0, authCpu: 0, loadCpu: 0, p50: [], p99: [] },
        ]),
      ) as unknown as Record<Contender, Sums>;
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < CONTENDERS.length; i++) {
          const at = (i + round + rep) % CONTENDERS.length;
          const kind = (CONTENDERS[at] as (typeof CONTENDERS)[number])[0];
          await slice(apps[kind] as App, authChild.pid, sliceRequests, sums[kind]);
        }
      }
      perRep.push(
        Object.fromEntries(CONTENDERS.map(([kind]) => [kind, sliceOf(sums[kind])])) as Record<
          Contender,
          Slice
        >,
      );
    }
    const requests = rounds * sliceRequests;
    const figures = Object.fromEntries(
      CONTENDERS.map(([kind]) => [kind, figuresOf(kind, perRep)]),
    ) as Record<Contender, Figures>;
    printTable(
      log,
      `Sessions: an authenticated Express page, concurrency ${CONCURRENCY}, ${reps} repetitions of ${rounds} × ${sliceRequests} requests per contender, by turns (median, min–max; ratios within each repetition; CPU µs per request of each process)`,
      [
        'contender',
        'req/s',
        'vs express-session',
        'p50 ms',
        'p99 ms',
        'app CPU',
        'app CPU vs e-s',
        'auth CPU',
        'load CPU',
      ],
      CONTENDERS.map(([kind, label]) => {
        const f = figures[kind];
        return [
          label,
          fmtSpread(f.reqPerSecond, 0),
          `${fmtRatio(f.vsExpressSession.median)} (${fmt(f.vsExpressSession.min, 2)}–${fmt(f.vsExpressSession.max, 2)})`,
          fmt(f.p50Ms, 2),
          fmt(f.p99Ms, 2),
          fmt(f.appCpuMicros, 0),
          fmtRatio(f.appCpuVsExpressSession.median),
          fmt(f.authCpuMicros, 0),
          fmt(f.loadCpuMicros, 0),
        ];
      }),
    );
    const cost = roundTripCost(figures['ours-cache'], figures.ours);
    printTable(
      log,
      'Sessions: the cost of the central auth server (cache off over cache on, CPU µs per request)',
      ['measure', 'value'],
      [
        ['the app: the client (envelope, Fernet, HTTP, the reply check)', fmt(cost.appMicros, 0)],
        ['the auth server (decrypt, look-up, encrypt, HTTP)', fmt(cost.authMicros, 0)],
        ['every process, cache off', fmt(cost.totalOffMicros, 0)],
        ['every process, cache on', fmt(cost.totalOnMicros, 0)],
        ['the round trip, as a share of the cache-off page', `${fmt(cost.shareOfOff * 100, 0)}%`],
        ['p50 latency added by the round trip (ms)', fmt(cost.latencyP50Ms, 2)],
      ],
    );
    const ratio = figures['ours-cache'].vsExpressSession.median;
    const goals: Goal[] = [
      {
        goal: "sessions: an authenticated Express page, the adapter with the cache on against express-session's req/s",
        target: '≥ 0.9×',
        value: `${fmtRatio(ratio)} (cache off ${fmtRatio(figures.ours.vsExpressSession.median)}; iron-session ${fmtRatio(figures['iron-session'].vsExpressSession.median)})`,
        met: ratio >= 0.9,
      },
    ];
    return {
      results: { sessions: { concurrency: CONCURRENCY, requests, ...figures, roundTrip: cost } },
      goals,
    };
  } finally {
    for (const app of Object.values(apps)) {
      await app.pool.close();
      app.child.kill('SIGTERM');
    }
    await client.close();
    authChild.kill('SIGTERM');
  }
}
