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
import { Authnzerver } from 'authnzerver';
import { createWebAuth, type WebAuth } from 'authnzerver/web';
import { authnzerver } from 'authnzerver/express';
import { parseCookie } from 'cookie';
import {
  BENCH_IP as IP,
  benchSession,
  expectSuccess,
  fmt,
  fmtRatio,
  fmtSpread,
  measure,
  printTable,
  startTestServer,
  summarize,
  type BenchOptions,
  type Goal,
  type SectionResult,
  type Summary,
} from './lib.js';

const ORIGIN = 'http://app.test';
const PASSWORD = 'bench password with enough entropy 42';

/** Logs a user in through the client and returns the user's session token. */
export async function userSession(client: Authnzerver): Promise<string> {
  const email = `bench-${Date.now()}@example.com`;
  const created = await client.userNew({
    full_name: 'Bench',
    email,
    password: PASSWORD,
    client_ipaddr: IP,
  });
  expectSuccess(created, 'bench web: user-new');
  await client.userSetEmailverified({ email, client_ipaddr: IP });
  const anon = await benchSession(client, null);
  expectSuccess(anon, 'bench web: session-new');
  const login = await client.userLogin({
    session_token: anon.response.session_token,
    email,
    password: PASSWORD,
    client_ipaddr: IP,
  });
  expectSuccess(login, 'bench web: user-login');
  const user = await benchSession(client, login.response.user_id);
  expectSuccess(user, 'bench web: session-new');
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

const BARE = 'bare client.sessionExists()';
const HAND = 'Express + a hand-written sessionExists() middleware';
const ADAPTER = 'Express + the authnzerver() adapter';

/** A session check: a call that resolves once one request's session is known. */
type Call = () => Promise<void>;

/** What the variants share: the client, the user's session, the adapter's core and a request that carries it. */
interface WebFixture {
  readonly client: Authnzerver;
  readonly token: string;
  readonly cookie: string;
  readonly plain: WebAuth;
  readonly cached: WebAuth;
  readonly request: Request;
  readonly env: { readonly remoteAddress: string };
}

/** `auth.authenticate()` of the fixture's request, as a call. */
function authenticate(auth: WebAuth, fixture: WebFixture): Call {
  return async () => {
    const r = await auth.authenticate(fixture.request, fixture.env);
    if (!r.ok) throw new Error(`bench web: ${r.failure.code}`);
  };
}

/** The variants of the CPU table, by name, in its order. */
function webVariants(fixture: WebFixture): Record<string, Call> {
  const { client, token, cookie, plain } = fixture;
  return {
    [BARE]: async () => {
      expectSuccess(
        await client.sessionExists({ session_token: token, client_ipaddr: IP }),
        'bench web',
      );
    },
    [HAND]: expressCall(handWritten(client), cookie),
    [ADAPTER]: expressCall(authnzerver(plain), cookie),
    'core alone: auth.authenticate(Request)': authenticate(plain, fixture),
  };
}

/** Client CPU and requests per second of each variant in one repetition. */
type Repetition = Record<string, { cpuMicros: number; reqPerSecond: number }>;

/**
 * Fine interleaving: each repetition runs the variants by turns, `slice` requests at a time, so that drift
 * (other processes, GC) hits them alike; the ratios are taken within each repetition.
 */
async function runByTurns(
  variants: Record<string, Call>,
  reps: number,
  slices: number,
  slice: number,
): Promise<Repetition[]> {
  const names = Object.keys(variants);
  const perRep: Repetition[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const sums = Object.fromEntries(names.map((n) => [n, { cpu: 0, seconds: 0, requests: 0 }]));
    for (let round = 0; round < slices; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round + rep) % names.length] as string;
        const run = await measure(variants[name] as Call, slice, 1);
        const sum = sums[name] as { cpu: number; seconds: number; requests: number };
        sum.cpu += run.cpuMicros * run.requests;
        sum.seconds += run.seconds;
        sum.requests += run.requests;
      }
    }
    perRep.push(
      Object.fromEntries(
        Object.entries(sums).map(([n, sum]) => [
          n,
          { cpuMicros: sum.cpu / sum.requests, reqPerSecond: sum.requests / sum.seconds },
        ]),
      ),
    );
  }
  return perRep;
}

/** Each variant's figures (its CPU also as a ratio to the bare call and to the hand-written one), and its row. */
function variantFigures(
  names: readonly string[],
  perRep: readonly Repetition[],
): { figures: Record<string, unknown>; rows: string[][] } {
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
      fmtSpread(cpu),
      `${fmtRatio(vsBare.median, 3)} (${fmt(vsBare.min, 2)}–${fmt(vsBare.max, 2)})`,
      `${fmtRatio(vsHand.median, 3)} (${fmt(vsHand.min, 2)}–${fmt(vsHand.max, 2)})`,
    ];
  });
  return { figures, rows };
}

/** Cache on against off: checks per second of one token, concurrency 1, `reps` times each. */
async function cacheFigures(
  fixture: WebFixture,
  reps: number,
  requests: number,
): Promise<{ offPerSecond: Summary; onPerSecond: Summary; ratio: number }> {
  const offRuns: number[] = [];
  const onRuns: number[] = [];
  await measure(authenticate(fixture.cached, fixture), 100, 1);
  for (let rep = 0; rep < reps; rep++) {
    const off = await measure(authenticate(fixture.plain, fixture), requests, 1);
    const on = await measure(authenticate(fixture.cached, fixture), requests * 20, 1);
    offRuns.push(off.requests / off.seconds);
    onRuns.push(on.requests / on.seconds);
  }
  const offPerSecond = summarize(offRuns);
  const onPerSecond = summarize(onRuns);
  return { offPerSecond, onPerSecond, ratio: onPerSecond.median / offPerSecond.median };
}

/** The section's goal rows. */
function webGoals(adapter: { cpuVsBare: Summary; cpuVsHand: Summary }, cacheRatio: number): Goal[] {
  return [
    {
      goal: 'web: a session-checked Express request, the adapter against a hand-written sessionExists() middleware, client CPU',
      target: '≤ 1.1×',
      value: `${fmtRatio(adapter.cpuVsHand.median, 3)} (${fmtRatio(adapter.cpuVsBare.median)} a bare sessionExists() with no Express)`,
      met: adapter.cpuVsHand.median <= 1.1,
    },
    {
      goal: 'web: session checks per second with the cache on, against off',
      target: '≥ 20×',
      value: fmtRatio(cacheRatio, 1),
      met: cacheRatio >= 20,
    },
  ];
}

/** The client's user session and the web layer's pieces around it. */
async function webFixture(client: Authnzerver): Promise<WebFixture> {
  const token = await userSession(client);
  const cookie = `azsession=${token}`;
  return {
    client,
    token,
    cookie,
    plain: createWebAuth({ client, origin: ORIGIN }),
    cached: createWebAuth({ client, origin: ORIGIN, cache: { ttlMs: 60_000 } }),
    request: new Request(`${ORIGIN}/account`, { headers: { cookie } }),
    env: { remoteAddress: IP },
  };
}

/** Runs the section. */
export async function benchWeb({ quick, log }: BenchOptions): Promise<SectionResult> {
  const server = await startTestServer();
  const client = new Authnzerver({ url: server.url, secret: server.secret });
  try {
    const fixture = await webFixture(client);
    const variants = webVariants(fixture);
    const reps = quick ? 3 : 7;
    const slices = quick ? 5 : 15;
    const slice = 200;
    for (const call of Object.values(variants)) await measure(call, 300, 1); // warm up
    const perRep = await runByTurns(variants, reps, slices, slice);
    const { figures, rows } = variantFigures(Object.keys(variants), perRep);
    printTable(
      log,
      `Web: a session-checked request, concurrency 1, ${reps} repetitions of ${slices} × ${slice} requests per variant, by turns (median, min–max; ratios within each repetition)`,
      ['variant', 'req/s', 'client CPU µs', 'CPU vs bare', 'CPU vs hand-written'],
      rows,
    );
    const cache = await cacheFigures(fixture, reps, quick ? 1000 : 3000);
    figures['cache'] = cache;
    printTable(
      log,
      'Web: session checks per second of one token, cache off and on (TTL 60 s), concurrency 1',
      ['cache', 'checks/s'],
      [
        ['off', fmtSpread(cache.offPerSecond, 0)],
        ['on', fmtSpread(cache.onPerSecond, 0)],
        ['on / off', fmtRatio(cache.ratio, 1)],
      ],
    );
    const adapter = figures[ADAPTER] as { cpuVsBare: Summary; cpuVsHand: Summary };
    return { results: { web: figures }, goals: webGoals(adapter, cache.ratio) };
  } finally {
    await client.close();
    server.stop();
  }
}
