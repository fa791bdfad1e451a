/**
 * The `http` section: `user-passcheck` round trips at concurrency 1 and 32 against bench/server.ts, for the floor
 * (no crypto), the limit (undici and Fernet, no client logic), our client, and its peers; each as a ratio to the
 * limit.
 */
import { Agent } from 'undici';
import { Authnzerver, decodeWire, encodeWire } from 'authnzerver';
import {
  expectSuccess,
  fmt,
  fmtRatio,
  fmtSpread,
  measure,
  printTable,
  startPasscheckServer,
  summarize,
  type BenchOptions,
  type Goal,
  type Run,
  type SectionResult,
} from './lib.js';
import { BODY, envelope, fernet, npmFernet, secret } from './passcheck.js';

/** The connections of every pooled client. */
const POOL = 64;
const CONCURRENCIES = [1, 32] as const;
const HEADERS = { 'content-type': 'text/plain; charset=utf-8' };
/** The variant the others are measured against. */
const LIMIT = 'limit: undici + Fernet (node:crypto)';
/** The variant the goal judges. */
const GENERATED = 'ours: userPasscheck() (validated)';

interface Variant {
  readonly name: string;
  readonly call: () => Promise<void>;
  readonly close: () => Promise<void>;
}

let counter = 0;
const nextReqid = (): string => `r${counter++}`;
const agent = (): Agent => new Agent({ keepAliveTimeout: 4000, connections: POOL });

function check(reply: unknown, reqid: string): void {
  if ((reply as { reqid?: unknown }).reqid !== reqid) throw new Error('bench: wrong reqid');
}

/** The floor and the limit: undici with a fixed body, then with Fernet on node:crypto; no client logic. */
function undiciVariants(origin: string): Variant[] {
  const floorAgent = agent();
  const fixed = encodeWire(fernet, envelope('fixed'));
  const limitAgent = agent();
  const floor: Variant = {
    name: 'floor: undici, fixed body, no crypto',
    call: async () => {
      const response = await floorAgent.request({
        origin,
        path: '/',
        method: 'POST',
        headers: HEADERS,
        body: fixed,
      });
      await response.body.text();
    },
    close: () => floorAgent.close(),
  };
  const limit: Variant = {
    name: LIMIT,
    call: async () => {
      const reqid = nextReqid();
      const response = await limitAgent.request({
        origin,
        path: '/',
        method: 'POST',
        headers: HEADERS,
        body: encodeWire(fernet, envelope(reqid)),
      });
      check(decodeWire(fernet, await response.body.text()), reqid);
    },
    close: () => limitAgent.close(),
  };
  return [floor, limit];
}

/** Our client: `request()` and the generated method on the default transport, then on ky/fetch. */
function clientVariants(url: string): Variant[] {
  const ours = new Authnzerver({ url, secret, connections: POOL });
  const oursFetch = new Authnzerver({ url, secret, transport: 'fetch' });
  return [
    {
      name: 'ours: request()',
      call: async () => {
        expectSuccess(await ours.request('user-passcheck', BODY));
      },
      close: () => Promise.resolve(),
    },
    {
      name: GENERATED,
      call: async () => {
        expectSuccess(await ours.userPasscheck(BODY));
      },
      close: () => ours.close(),
    },
    {
      name: 'ours: userPasscheck() on ky/fetch',
      call: async () => {
        expectSuccess(await oursFetch.userPasscheck(BODY));
      },
      close: () => oursFetch.close(),
    },
  ];
}

/** The peers: plain `fetch` with our Fernet, and undici with the npm `fernet` package. */
function peerVariants(url: string): Variant[] {
  const origin = new URL(url).origin;
  const npmAgent = agent();
  const npmSecret = new npmFernet.Secret(secret);
  const plainFetch: Variant = {
    name: 'plain fetch + Fernet (node:crypto)',
    call: async () => {
      const reqid = nextReqid();
      const response = await fetch(url, {
        method: 'POST',
        headers: HEADERS,
        body: encodeWire(fernet, envelope(reqid)),
      });
      check(decodeWire(fernet, await response.text()), reqid);
    },
    close: () => Promise.resolve(),
  };
  const npm: Variant = {
    name: 'undici + npm fernet package',
    call: async () => {
      const reqid = nextReqid();
      const token = new npmFernet.Token({ secret: npmSecret }).encode(
        JSON.stringify(envelope(reqid)),
      );
      const body = Buffer.from(token, 'latin1').toString('base64');
      const response = await npmAgent.request({
        origin,
        path: '/',
        method: 'POST',
        headers: HEADERS,
        body,
      });
      const text = Buffer.from(await response.body.text(), 'base64').toString('latin1');
      check(JSON.parse(new npmFernet.Token({ secret: npmSecret, ttl: 0 }).decode(text)), reqid);
    },
    close: () => npmAgent.close(),
  };
  return [plainFetch, npm];
}

/** Every variant, in the order of the tables. */
function httpVariants(url: string): Variant[] {
  return [...undiciVariants(new URL(url).origin), ...clientVariants(url), ...peerVariants(url)];
}

/** The runs of each variant at each concurrency, keyed `concurrency|name`. */
type Runs = Map<string, Run[]>;

/** Warms every variant up once, then interleaves the repetitions so that drift hits all alike. */
async function runInterleaved(
  variants: readonly Variant[],
  reps: number,
  requests: Record<number, number>,
): Promise<Runs> {
  const runs: Runs = new Map();
  for (const variant of variants) await measure(variant.call, 200, 4);
  for (let rep = 0; rep < reps; rep++) {
    for (const concurrency of CONCURRENCIES) {
      for (const variant of variants) {
        const key = `${concurrency}|${variant.name}`;
        const run = await measure(variant.call, requests[concurrency] ?? 1000, concurrency);
        runs.set(key, [...(runs.get(key) ?? []), run]);
      }
    }
  }
  return runs;
}

/** One concurrency's figures per variant, its table rows, and the goal on the generated method. */
function concurrencyFigures(
  concurrency: number,
  variants: readonly Variant[],
  runs: Runs,
): { figures: Record<string, unknown>; rows: string[][]; goal: Goal } {
  const limit = runs.get(`${concurrency}|${LIMIT}`) ?? [];
  const limitCpu = summarize(limit.map((r) => r.cpuMicros)).median;
  const limitRps = summarize(limit.map((r) => r.requests / r.seconds)).median;
  const rows: string[][] = [];
  const figures: Record<string, unknown> = {};
  for (const variant of variants) {
    const list = runs.get(`${concurrency}|${variant.name}`) ?? [];
    const rps = summarize(list.map((r) => r.requests / r.seconds));
    const cpu = summarize(list.map((r) => r.cpuMicros));
    const p50 = summarize(list.map((r) => r.p50Ms));
    const p99 = summarize(list.map((r) => r.p99Ms));
    figures[variant.name] = {
      rps,
      cpuMicros: cpu,
      p50Ms: p50,
      p99Ms: p99,
      cpuVsLimit: cpu.median / limitCpu,
      rpsVsLimit: rps.median / limitRps,
    };
    rows.push([
      variant.name,
      fmtSpread(rps, 0),
      fmt(p50.median, 3),
      fmt(p99.median, 3),
      fmtSpread(cpu),
      fmtRatio(cpu.median / limitCpu),
      fmtRatio(rps.median / limitRps),
    ]);
  }
  const generated = figures[GENERATED] as { cpuVsLimit: number };
  const goal: Goal = {
    goal: `client CPU per request of a generated method, concurrency ${concurrency}`,
    target: '≤ 1.05× the limit',
    value: fmtRatio(generated.cpuVsLimit),
    met: generated.cpuVsLimit <= 1.05,
  };
  return { figures, rows, goal };
}

/** Runs the section. */
export async function benchHttp({ quick, reps, log }: BenchOptions): Promise<SectionResult> {
  const requests: Record<number, number> = quick ? { 1: 300, 32: 600 } : { 1: 2000, 32: 4000 };
  const server = await startPasscheckServer(secret);
  const variants = httpVariants(server.url);
  const runs = await runInterleaved(variants, reps, requests);
  for (const variant of variants) await variant.close();
  server.stop();

  const http: Record<string, unknown> = {};
  const goals: Goal[] = [];
  for (const concurrency of CONCURRENCIES) {
    const { figures, rows, goal } = concurrencyFigures(concurrency, variants, runs);
    http[`c${concurrency}`] = figures;
    printTable(
      log,
      `HTTP round trips, concurrency ${concurrency}, ${requests[concurrency]} requests × ${reps} interleaved runs (median, min–max)`,
      [
        'variant',
        'req/s',
        'p50 ms',
        'p99 ms',
        'client CPU µs/req',
        'CPU vs limit',
        'req/s vs limit',
      ],
      rows,
    );
    goals.push(goal);
  }
  return { results: { http }, goals };
}
