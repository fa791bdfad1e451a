/**
 * The web section of `npm run bench` (issue 14): against the test server in a process of its own,
 *
 * - a session-checked request through the Express adapter (Express's router, the `authnzerver()` middleware and a
 *   handler that reads `req.auth`) against a bare `client.sessionExists()` call: client CPU per request, as a
 *   ratio (goal ≤ 1.1×);
 * - `auth.authenticate()` checks per second with the session cache on against off (goal ≥ 20×).
 *
 * The Express variant runs the app in process on Node's own request and response objects (no socket): the HTTP
 * parsing of a real server is the same with or without the adapter, and is not the adapter's cost. Variants are
 * interleaved, so that drift hits them alike; each figure is the median of the repetitions.
 */
import express from 'express';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Authnzerver } from 'authnzerver';
import { createWebAuth, type WebAuth } from 'authnzerver/web';
import { authnzerver } from 'authnzerver/express';
import { parseCookie } from 'cookie';
import {
  BENCH_IP as IP,
  benchSession,
  fmt,
  measure,
  startChild,
  summarize,
  table,
  type Run,
  type Summary,
} from './lib.js';

/** One goal row, as bench/run.ts prints them. */
export interface WebGoal {
  readonly goal: string;
  readonly target: string;
  readonly value: string;
  readonly met: boolean;
}

/** What the section gives bench/run.ts: the figures for results.json, and its goal rows. */
export interface WebBench {
  readonly results: Record<string, unknown>;
  readonly goals: WebGoal[];
}

const ORIGIN = 'http://app.test';
const PASSWORD = 'bench password with enough entropy 42';

/** Logs a user in through the client and returns the user's session token. */
async function userSession(client: Authnzerver): Promise<string> {
  const email = `bench-${Date.now()}@example.com`;
  const created = await client.userNew({
    full_name: 'Bench',
    email,
    password: PASSWORD,
    client_ipaddr: IP,
  });
  if (!created.success) throw new Error(`bench web: user-new ${created.failure}`);
  await client.userSetEmailverified({ email, client_ipaddr: IP });
  const anon = await benchSession(client, null);
  if (!anon.success) throw new Error(`bench web: session-new ${anon.failure}`);
  const login = await client.userLogin({
    session_token: anon.response.session_token,
    email,
    password: PASSWORD,
    client_ipaddr: IP,
  });
  if (!login.success) throw new Error(`bench web: user-login ${login.failure}`);
  const user = await benchSession(client, login.response.user_id);
  if (!user.success) throw new Error(`bench web: session-new ${user.failure}`);
  return user.response.session_token;
}

type NodeApp = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * An Express app called in process on Node's own request and response objects (no socket), with `middleware`
 * in front of a route that needs a user session: resolves when the route has run.
 */
function expressCall(middleware: express.RequestHandler, cookie: string): () => Promise<void> {
  const app = express();
  app.use(middleware);
  app.get('/account', (req, res) => {
    if (req.auth.session.kind !== 'user') throw new Error('bench web: not a user session');
    (res.locals as { done: () => void }).done();
  });
  const handle = app as unknown as NodeApp;
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: IP });
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = new IncomingMessage(socket);
      req.method = 'GET';
      req.url = '/account';
      req.headers = { host: 'app.test', cookie, 'user-agent': 'bench' };
      const res = new ServerResponse(req) as ServerResponse & { locals: unknown };
      res.locals = { done: resolve };
      handle(req, res, (error) => {
        reject(error instanceof Error ? error : new Error('bench web: the route did not answer'));
      });
    });
}

/**
 * What an app writes without the adapter: read the cookie, call `sessionExists()`, and put the session on
 * `req` (a user session only; anything else is refused).
 */
function handWritten(client: Authnzerver): express.RequestHandler {
  return (req, _res, next) => {
    const token = parseCookie(req.headers.cookie ?? '')['azsession'];
    if (token === undefined) {
      next(new Error('bench web: no cookie'));
      return;
    }
    client
      .sessionExists({ session_token: token, client_ipaddr: req.socket.remoteAddress ?? '' })
      .then((r) => {
        if (!r.success) {
          next(new Error(`bench web: ${r.failure}`));
          return;
        }
        const info = r.response.session_info;
        (req as { auth: unknown }).auth = {
          session: { kind: info.user_id === 2 ? 'anonymous' : 'user' },
        };
        next();
      }, next);
  };
}

/** Runs the section. */
export async function benchWeb(
  log: (line: string) => void,
  options: { quick: boolean },
): Promise<WebBench> {
  const { child, ready } = await startChild<{ url: string; secret: string }>(
    ['--import', 'tsx', fileURLToPath(new URL('./test-server.ts', import.meta.url))],
    {},
  );
  const client = new Authnzerver({ url: ready.url, secret: ready.secret });
  try {
    const token = await userSession(client);
    const cookie = `azsession=${token}`;
    const plain = createWebAuth({ client, origin: ORIGIN });
    const cached = createWebAuth({ client, origin: ORIGIN, cache: { ttlMs: 60_000 } });
    const request = new Request(`${ORIGIN}/account`, { headers: { cookie } });
    const env = { remoteAddress: IP };

    const BARE = 'bare client.sessionExists()';
    const HAND = 'Express + a hand-written sessionExists() middleware';
    const ADAPTER = 'Express + the authnzerver() adapter';
    const variants: Record<string, () => Promise<void>> = {
      [BARE]: async () => {
        const r = await client.sessionExists({ session_token: token, client_ipaddr: IP });
        if (!r.success) throw new Error(`bench web: ${r.failure}`);
      },
      [HAND]: expressCall(handWritten(client), cookie),
      [ADAPTER]: expressCall(authnzerver(plain), cookie),
      'core alone: auth.authenticate(Request)': async () => {
        const r = await plain.authenticate(request, env);
        if (!r.ok) throw new Error(`bench web: ${r.failure.code}`);
      },
    };
    const reps = options.quick ? 3 : 7;
    const slices = options.quick ? 5 : 15;
    const slice = 200;
    const requests = options.quick ? 1000 : 3000;
    const names = Object.keys(variants);
    for (const call of Object.values(variants)) await measure(call, 300, 1); // warm up
    // Fine interleaving: each repetition runs the variants by turns, `slice` requests at a time, so that drift
    // (other processes, GC) hits them alike; the ratios are taken within each repetition.
    const perRep: Record<string, { cpuMicros: number; reqPerSecond: number }>[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const sums = Object.fromEntries(names.map((n) => [n, { cpu: 0, seconds: 0, requests: 0 }]));
      for (let round = 0; round < slices; round++) {
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + round + rep) % names.length] as string;
          const run: Run = await measure(variants[name] as () => Promise<void>, slice, 1);
          const sum = sums[name] as { cpu: number; seconds: number; requests: number };
          sum.cpu += run.cpuMicros * run.requests;
          sum.seconds += run.seconds;
          sum.requests += run.requests;
        }
      }
      perRep.push(
        Object.fromEntries(
          names.map((n) => {
            const sum = sums[n] as { cpu: number; seconds: number; requests: number };
            return [
              n,
              { cpuMicros: sum.cpu / sum.requests, reqPerSecond: sum.requests / sum.seconds },
            ];
          }),
        ),
      );
    }
    const of = (name: string) =>
      perRep.map((r) => r[name] as { cpuMicros: number; reqPerSecond: number });
    const figures: Record<string, unknown> = {};
    const rows = names.map((name) => {
      const cpu = summarize(of(name).map((r) => r.cpuMicros));
      const rps = summarize(of(name).map((r) => r.reqPerSecond));
      const vsBare = summarize(
        perRep.map((r, i) => (r[name]?.cpuMicros ?? NaN) / (of(BARE)[i]?.cpuMicros ?? NaN)),
      );
      const vsHand = summarize(
        perRep.map((r, i) => (r[name]?.cpuMicros ?? NaN) / (of(HAND)[i]?.cpuMicros ?? NaN)),
      );
      figures[name] = { reqPerSecond: rps, cpuMicros: cpu, cpuVsBare: vsBare, cpuVsHand: vsHand };
      return [
        name,
        fmt(rps.median, 0),
        `${fmt(cpu.median)} (${fmt(cpu.min)}–${fmt(cpu.max)})`,
        `${fmt(vsBare.median, 3)}× (${fmt(vsBare.min, 2)}–${fmt(vsBare.max, 2)})`,
        `${fmt(vsHand.median, 3)}× (${fmt(vsHand.min, 2)}–${fmt(vsHand.max, 2)})`,
      ];
    });
    log(
      `\nWeb: a session-checked request, concurrency 1, ${reps} repetitions of ${slices} × ${slice} requests per variant, by turns (median, min–max; ratios within each repetition)`,
    );
    log(table(['variant', 'req/s', 'client CPU µs', 'CPU vs bare', 'CPU vs hand-written'], rows));

    // Cache on against off: checks per second of one token, concurrency 1.
    const check = (auth: WebAuth) => async () => {
      const r = await auth.authenticate(request, env);
      if (!r.ok) throw new Error(`bench web: ${r.failure.code}`);
    };
    const offRuns: number[] = [];
    const onRuns: number[] = [];
    await measure(check(cached), 100, 1);
    for (let rep = 0; rep < reps; rep++) {
      const off = await measure(check(plain), requests, 1);
      const on = await measure(check(cached), requests * 20, 1);
      offRuns.push(off.requests / off.seconds);
      onRuns.push(on.requests / on.seconds);
    }
    const off = summarize(offRuns);
    const on = summarize(onRuns);
    const cacheRatio = on.median / off.median;
    figures['cache'] = { offPerSecond: off, onPerSecond: on, ratio: cacheRatio };
    log(
      '\nWeb: session checks per second of one token, cache off and on (TTL 60 s), concurrency 1',
    );
    log(
      table(
        ['cache', 'checks/s'],
        [
          ['off', `${fmt(off.median, 0)} (${fmt(off.min, 0)}–${fmt(off.max, 0)})`],
          ['on', `${fmt(on.median, 0)} (${fmt(on.min, 0)}–${fmt(on.max, 0)})`],
          ['on / off', `${fmt(cacheRatio, 1)}×`],
        ],
      ),
    );
    const adapter = figures[ADAPTER] as { cpuVsBare: Summary; cpuVsHand: Summary };
    return {
      results: figures,
      goals: [
        {
          goal: 'web: a session-checked Express request, the adapter against a hand-written sessionExists() middleware, client CPU',
          target: '≤ 1.1×',
          value: `${fmt(adapter.cpuVsHand.median, 3)}× (${fmt(adapter.cpuVsBare.median, 2)}× a bare sessionExists() with no Express)`,
          met: adapter.cpuVsHand.median <= 1.1,
        },
        {
          goal: 'web: session checks per second with the cache on, against off',
          target: '≥ 20×',
          value: `${fmt(cacheRatio, 1)}×`,
          met: cacheRatio >= 20,
        },
      ],
    };
  } finally {
    await client.close();
    child.kill('SIGTERM');
  }
}
