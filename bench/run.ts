import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { parse } from 'yaml';
import { Authnzerver, Fernet, decodeWire, encodeWire, generateFernetKey } from 'authnzerver';
import { loadCatalogue, type Catalogue } from '../codegen/generator/catalogue.js';
import { formatFiles } from '../codegen/generator/format.js';
import { generate } from '../codegen/generator/generate.js';
import type { TypeNode } from '../codegen/generator/types.js';
import { bundleTable, bundleWorker } from './bundle.js';
import {
  BENCH_IP as IP,
  benchSession,
  fmt,
  measure,
  startChild,
  summarize,
  table,
  timeCommand,
  type Run,
  type Summary,
} from './lib.js';

/**
 * npm run bench: the SDK measured against its physical limit and its peers, side by side in one run, as ratios.
 * Writes a table to stdout and the figures to bench/results.json.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const REPS = QUICK ? 2 : 5;
const REQUESTS: Record<number, number> = QUICK ? { 1: 300, 32: 600 } : { 1: 2000, 32: 4000 };
const LOAD_REQUESTS = QUICK ? 5000 : 50_000;
const LOAD_CONCURRENCY = 100;
const POOL = 64;

const npmFernet = createRequire(import.meta.url)('fernet') as {
  Secret: new (key: string) => unknown;
  Token: new (options: { secret: unknown; ttl?: number }) => {
    encode(m: string): string;
    decode(t: string): string;
  };
};

const secret = generateFernetKey();
const fernet = new Fernet(secret);
const BODY = {
  session_token: 'sessiontoken0123456789abcdefghijklmnopqrstuvw',
  password: 'correct horse battery',
  client_ipaddr: IP,
};
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick: QUICK,
};
const goals: { goal: string; target: string; value: string; met: boolean }[] = [];
const log = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

// ---------------------------------------------------------------------------------------------------------------
// HTTP: floor, limit, ours and peers, at concurrency 1 and 32.

interface Variant {
  readonly name: string;
  readonly call: () => Promise<void>;
  readonly close: () => Promise<void>;
}

function httpVariants(url: string): Variant[] {
  const origin = new URL(url).origin;
  const headers = { 'content-type': 'text/plain; charset=utf-8' };
  const agent = (): Agent => new Agent({ keepAliveTimeout: 4000, connections: POOL });
  let counter = 0;
  const envelope = (reqid: string): unknown => ({
    request: 'user-passcheck',
    body: BODY,
    reqid,
    client_ipaddr: IP,
  });

  const floorAgent = agent();
  const fixed = encodeWire(fernet, envelope('fixed'));
  const limitAgent = agent();
  const npmAgent = agent();
  const npmSecret = new npmFernet.Secret(secret);
  const ours = new Authnzerver({ url, secret, connections: POOL });
  const oursFetch = new Authnzerver({ url, secret, transport: 'fetch' });

  const check = (reply: unknown, reqid: string): void => {
    if ((reply as { reqid?: unknown }).reqid !== reqid) throw new Error('bench: wrong reqid');
  };
  return [
    {
      name: 'floor: undici, fixed body, no crypto',
      call: async () => {
        const response = await floorAgent.request({
          origin,
          path: '/',
          method: 'POST',
          headers,
          body: fixed,
        });
        await response.body.text();
      },
      close: () => floorAgent.close(),
    },
    {
      name: 'limit: undici + Fernet (node:crypto)',
      call: async () => {
        const reqid = `r${counter++}`;
        const response = await limitAgent.request({
          origin,
          path: '/',
          method: 'POST',
          headers,
          body: encodeWire(fernet, envelope(reqid)),
        });
        check(decodeWire(fernet, await response.body.text()), reqid);
      },
      close: () => limitAgent.close(),
    },
    {
      name: 'ours: request()',
      call: async () => {
        const result = await ours.request('user-passcheck', BODY);
        if (!result.success) throw new Error(`bench: ${result.failure}`);
      },
      close: () => Promise.resolve(),
    },
    {
      name: 'ours: userPasscheck() (validated)',
      call: async () => {
        const result = await ours.userPasscheck(BODY);
        if (!result.success) throw new Error(`bench: ${result.failure}`);
      },
      close: () => ours.close(),
    },
    {
      name: 'ours: userPasscheck() on ky/fetch',
      call: async () => {
        const result = await oursFetch.userPasscheck(BODY);
        if (!result.success) throw new Error(`bench: ${result.failure}`);
      },
      close: () => oursFetch.close(),
    },
    {
      name: 'plain fetch + Fernet (node:crypto)',
      call: async () => {
        const reqid = `r${counter++}`;
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: encodeWire(fernet, envelope(reqid)),
        });
        check(decodeWire(fernet, await response.text()), reqid);
      },
      close: () => Promise.resolve(),
    },
    {
      name: 'undici + npm fernet package',
      call: async () => {
        const reqid = `r${counter++}`;
        const token = new npmFernet.Token({ secret: npmSecret }).encode(
          JSON.stringify(envelope(reqid)),
        );
        const body = Buffer.from(token, 'latin1').toString('base64');
        const response = await npmAgent.request({
          origin,
          path: '/',
          method: 'POST',
          headers,
          body,
        });
        const text = Buffer.from(await response.body.text(), 'base64').toString('latin1');
        check(JSON.parse(new npmFernet.Token({ secret: npmSecret, ttl: 0 }).decode(text)), reqid);
      },
      close: () => npmAgent.close(),
    },
  ];
}

async function benchHttp(): Promise<void> {
  const { child, ready } = await startChild<{ port: number }>(
    ['--import', 'tsx', join(ROOT, 'bench/server.ts')],
    { BENCH_SECRET: secret },
  );
  const url = `http://127.0.0.1:${ready.port}/`;
  const variants = httpVariants(url);
  const runs = new Map<string, Run[]>();
  // Warm up every variant once, then interleave the repetitions so that drift hits all alike.
  for (const variant of variants) await measure(variant.call, 200, 4);
  for (let rep = 0; rep < REPS; rep++) {
    for (const concurrency of [1, 32]) {
      for (const variant of variants) {
        const key = `${concurrency}|${variant.name}`;
        const run = await measure(variant.call, REQUESTS[concurrency] ?? 1000, concurrency);
        runs.set(key, [...(runs.get(key) ?? []), run]);
      }
    }
  }
  for (const variant of variants) await variant.close();
  child.kill('SIGTERM');

  const http: Record<string, unknown> = {};
  for (const concurrency of [1, 32]) {
    const limit = runs.get(`${concurrency}|${variants[1]?.name ?? ''}`) ?? [];
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
        `${fmt(rps.median, 0)} (${fmt(rps.min, 0)}–${fmt(rps.max, 0)})`,
        fmt(p50.median, 3),
        fmt(p99.median, 3),
        `${fmt(cpu.median)} (${fmt(cpu.min)}–${fmt(cpu.max)})`,
        `${fmt(cpu.median / limitCpu, 2)}×`,
        `${fmt(rps.median / limitRps, 2)}×`,
      ]);
    }
    http[`c${concurrency}`] = figures;
    log(
      `\nHTTP round trips, concurrency ${concurrency}, ${REQUESTS[concurrency]} requests × ${REPS} interleaved runs (median, min–max)`,
    );
    log(
      table(
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
      ),
    );
    const generated = figures['ours: userPasscheck() (validated)'] as { cpuVsLimit: number };
    goals.push({
      goal: `client CPU per request of a generated method, concurrency ${concurrency}`,
      target: '≤ 1.05× the limit',
      value: `${fmt(generated.cpuVsLimit, 2)}×`,
      met: generated.cpuVsLimit <= 1.05,
    });
  }
  results.http = http;
}

// ---------------------------------------------------------------------------------------------------------------
// Fernet: ours against the npm fernet package.

function benchFernet(): void {
  const message = JSON.stringify({
    request: 'user-passcheck',
    body: BODY,
    reqid: 'abcdefghijk',
    client_ipaddr: IP,
  });
  const npmSecret = new npmFernet.Secret(secret);
  const opsPerSecond = (fn: () => void, ms: number): number => {
    let ops = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let i = 0; i < 20; i++) fn();
      ops += 20;
    }
    return ops / (ms / 1000);
  };
  const ours = (): void => {
    fernet.decrypt(fernet.encrypt(message));
  };
  const theirs = (): void => {
    const token = new npmFernet.Token({ secret: npmSecret }).encode(message);
    new npmFernet.Token({ secret: npmSecret, ttl: 0 }).decode(token);
  };
  const oursRuns: number[] = [];
  const theirRuns: number[] = [];
  for (let rep = 0; rep < (QUICK ? 2 : 5); rep++) {
    oursRuns.push(opsPerSecond(ours, 400));
    theirRuns.push(opsPerSecond(theirs, 400));
  }
  const a = summarize(oursRuns);
  const b = summarize(theirRuns);
  results.fernet = {
    messageBytes: message.length,
    ours: a,
    npmFernet: b,
    ratio: a.median / b.median,
  };
  log(`\nFernet encrypt + decrypt of a ${message.length}-byte envelope, ops/s (median, min–max)`);
  log(
    table(
      ['implementation', 'ops/s', 'ratio'],
      [
        [
          'ours (node:crypto)',
          `${fmt(a.median, 0)} (${fmt(a.min, 0)}–${fmt(a.max, 0)})`,
          `${fmt(a.median / b.median, 1)}×`,
        ],
        [
          'npm fernet (crypto-js)',
          `${fmt(b.median, 0)} (${fmt(b.min, 0)}–${fmt(b.max, 0)})`,
          '1.0×',
        ],
      ],
    ),
  );
  goals.push({
    goal: 'Fernet against the npm fernet package',
    target: '≥ 10×',
    value: `${fmt(a.median / b.median, 1)}×`,
    met: a.median / b.median >= 10,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The sync call against the async call.

async function benchSync(): Promise<void> {
  const { child, ready } = await startChild<{ port: number }>(
    ['--import', 'tsx', join(ROOT, 'bench/server.ts')],
    { BENCH_SECRET: secret },
  );
  const client = new Authnzerver({ url: `http://127.0.0.1:${ready.port}/`, secret });
  const count = QUICK ? 300 : 2000;
  const sequential = async (sync: boolean): Promise<{ msPerCall: number; cpuMicros: number }> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const result = sync ? client.sync.userPasscheck(BODY) : await client.userPasscheck(BODY);
      if (!result.success) throw new Error(`bench: ${result.failure}`);
    }
    const used = process.cpuUsage(cpu);
    return {
      msPerCall: (performance.now() - started) / count,
      cpuMicros: (used.user + used.system) / count,
    };
  };
  await sequential(false);
  await sequential(true);
  const asyncRuns: { msPerCall: number; cpuMicros: number }[] = [];
  const syncRuns: { msPerCall: number; cpuMicros: number }[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    asyncRuns.push(await sequential(false));
    syncRuns.push(await sequential(true));
  }
  await client.close();
  child.kill('SIGTERM');
  const asyncMs = summarize(asyncRuns.map((r) => r.msPerCall));
  const syncMs = summarize(syncRuns.map((r) => r.msPerCall));
  const asyncCpu = summarize(asyncRuns.map((r) => r.cpuMicros));
  const syncCpu = summarize(syncRuns.map((r) => r.cpuMicros));
  results.sync = {
    async: { msPerCall: asyncMs, cpuMicros: asyncCpu },
    sync: { msPerCall: syncMs, cpuMicros: syncCpu },
  };
  log(`\nSync against async, ${count} sequential userPasscheck calls × ${REPS} (median, min–max)`);
  log(
    table(
      ['call', 'ms per call', 'CPU µs per call (all threads)', 'ratio (time / CPU)'],
      [
        [
          'async',
          `${fmt(asyncMs.median, 3)} (${fmt(asyncMs.min, 3)}–${fmt(asyncMs.max, 3)})`,
          fmt(asyncCpu.median),
          '1.00× / 1.00×',
        ],
        [
          'sync',
          `${fmt(syncMs.median, 3)} (${fmt(syncMs.min, 3)}–${fmt(syncMs.max, 3)})`,
          fmt(syncCpu.median),
          `${fmt(syncMs.median / asyncMs.median, 2)}× / ${fmt(syncCpu.median / asyncCpu.median, 2)}×`,
        ],
      ],
    ),
  );
  const worst = Math.max(syncMs.median / asyncMs.median, syncCpu.median / asyncCpu.median);
  goals.push({
    goal: 'a sync call against an async call (time and CPU)',
    target: '≤ 2×',
    value: `${fmt(worst, 2)}×`,
    met: worst <= 2,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The first sync call of a process (the worker thread starts) against a warm one.

async function benchSyncStart(): Promise<void> {
  const { child, ready } = await startChild<{ port: number }>(
    ['--import', 'tsx', join(ROOT, 'bench/server.ts')],
    { BENCH_SECRET: secret },
  );
  const url = `http://127.0.0.1:${ready.port}/`;
  // A fresh process per run, on the built package: what an app's first sync call costs.
  const code = `
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
  const runs: { first: number; warm: number }[] = [];
  for (let rep = 0; rep < REPS * 2; rep++) {
    const run = await timeCommand(process.execPath, ['--input-type=module', '-e', code], ROOT);
    if (run.code !== 0) throw new Error(`bench: the first-sync process failed:\n${run.output}`);
    runs.push(JSON.parse(run.output) as { first: number; warm: number });
  }
  child.kill('SIGTERM');
  const first = summarize(runs.map((r) => r.first));
  const warm = summarize(runs.map((r) => r.warm));
  const extra = summarize(runs.map((r) => r.first - r.warm));
  results.syncStart = { first, warm, extra };
  log(
    `\nThe first sync call of a process against a warm one, ${runs.length} processes (median, min–max)`,
  );
  log(
    table(
      ['call', 'ms'],
      [
        [
          'first (starts the worker)',
          `${fmt(first.median, 1)} (${fmt(first.min, 1)}–${fmt(first.max, 1)})`,
        ],
        ['warm', `${fmt(warm.median, 2)} (${fmt(warm.min, 2)}–${fmt(warm.max, 2)})`],
        ['first − warm', `${fmt(extra.median, 1)} (${fmt(extra.min, 1)}–${fmt(extra.max, 1)})`],
      ],
    ),
  );
  goals.push({
    goal: 'the first sync call of a process, over a warm one',
    target: '≤ 100 ms',
    value: `${fmt(extra.median, 1)} ms`,
    met: extra.median <= 100,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cold import time.

async function importTime(specifier: string): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const run = await timeCommand(process.execPath, ['--input-type=module', '-e', code], ROOT);
  return Number(run.output);
}

/** The packages (folders under node_modules) whose scripts a fresh process parses to import `specifier`. */
async function packagesLoadedBy(specifier: string): Promise<string[]> {
  const code = `
    const { Session } = await import('node:inspector/promises');
    const session = new Session();
    session.connect();
    const urls = [];
    session.on('Debugger.scriptParsed', ({ params }) => urls.push(params.url));
    await session.post('Debugger.enable');
    await import(${JSON.stringify(specifier)});
    session.disconnect();
    const names = urls.map((url) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url)?.[1]).filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(names)].sort()));`;
  const run = await timeCommand(process.execPath, ['--input-type=module', '-e', code], ROOT);
  return JSON.parse(run.output) as string[];
}

async function benchImport(): Promise<void> {
  // Side by side: each round imports every module once, each in a fresh process, so that drift hits all alike;
  // every other round in the reverse order, so that neither goes first always.
  const specifiers = ['authnzerver', 'undici', 'zod', 'zod/mini', 'ky'];
  const rounds = QUICK ? 5 : 11;
  const times: Record<string, number[]> = Object.fromEntries(specifiers.map((s) => [s, []]));
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? specifiers : [...specifiers].reverse();
    for (const specifier of order) times[specifier]?.push(await importTime(specifier));
    ratios.push((times.authnzerver?.at(-1) ?? Number.NaN) / (times.undici?.at(-1) ?? Number.NaN));
  }
  const s = Object.fromEntries(
    specifiers.map((name) => [name, summarize(times[name] ?? [])]),
  ) as Record<string, Summary>;
  const total = s.authnzerver?.median ?? Number.NaN;
  // What the import loads (an untimed run: the inspector slows it): undici's Agent and ky wait for their first use.
  const loaded = await packagesLoadedBy('authnzerver');
  const ratio = summarize(ratios);
  results.import = {
    ...s,
    rounds,
    vsUndici: ratio,
    zodShare: (s.zod?.median ?? 0) / total,
    packagesLoaded: loaded,
    kyLoaded: loaded.includes('ky'),
    undiciLoaded: loaded.includes('undici'),
  };
  log(`\nCold import in a fresh process, ms (median of ${rounds} rounds, min–max)`);
  log(
    table(
      ['module', 'ms', 'against authnzerver'],
      specifiers.map((name) => [
        name === 'ky' ? 'ky (loaded only by the fetch transport)' : name,
        `${fmt(s[name]?.median ?? Number.NaN)} (${fmt(s[name]?.min ?? Number.NaN)}–${fmt(s[name]?.max ?? Number.NaN)})`,
        name === 'authnzerver'
          ? '100%'
          : `${fmt(((s[name]?.median ?? 0) / total) * 100, 0)}% alone`,
      ]),
    ),
  );
  log(
    `authnzerver against undici, round by round: ${fmt(ratio.median, 2)}× (${fmt(ratio.min, 2)}–${fmt(ratio.max, 2)})`,
  );
  log(`packages loaded by import('authnzerver'): ${loaded.join(', ') || 'none'}`);
  goals.push({
    goal: "cold import('authnzerver')",
    target: '< 150 ms',
    value: `${fmt(total)} ms`,
    met: total < 150,
  });
  goals.push({
    goal: "cold import('authnzerver') against import('undici'), side by side",
    target: '≤ 1.2×',
    value: `${fmt(ratio.median, 2)}×`,
    met: ratio.median <= 1.2,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The bundle of a Cloudflare Worker that calls sessionExists (bench/bundle.ts, bench/worker.ts).

async function benchBundle(): Promise<void> {
  const figures = await bundleWorker(ROOT);
  results.bundle = figures;
  log('\nThe bundle of a Worker that calls sessionExists (esbuild: workerd, neutral, minified)');
  log(bundleTable(figures));
  goals.push({
    goal: 'the bundle of a Worker that calls sessionExists',
    target: '≤ 50 KiB gzip',
    value: `${fmt(figures.gzipKiB, 1)} KiB gzip (${fmt(figures.minifiedKiB, 1)} KiB minified)`,
    met: figures.gzipKiB <= 50,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The generator and the editor's cost of the types.

function sample(node: TypeNode, catalogue: Catalogue): string {
  switch (node.kind) {
    case 'primitive':
      return {
        str: "'x'",
        int: '1',
        float: '1.5',
        bool: 'true',
        dict: '{}',
        list: '[]',
        Any: '1',
        None: 'null',
        datetime: "'2099-01-01T00:00:00.000000'",
      }[node.name];
    case 'literal':
      return `'${node.value}'`;
    case 'list':
      return `[${sample(node.of, catalogue)}]`;
    case 'json':
      return "'{}'";
    case 'union':
      return sample(node.members[0] as TypeNode, catalogue);
    case 'ref': {
      const named = catalogue.types.find((t) => t.name === node.name);
      return `{ ${(named?.fields ?? [])
        .filter((f) => !f.optional)
        .map((f) => `${f.name}: ${sample(f.type, catalogue)}`)
        .join(', ')} }`;
    }
  }
}

async function benchCodegen(): Promise<void> {
  const source = 'schema/authnzerver.yaml';
  const text = readFileSync(join(ROOT, source), 'utf8');
  const once = async (): Promise<number> => {
    const started = performance.now();
    await formatFiles(
      generate(loadCatalogue(parse(text), source), {
        runtimeImport: '../src/runtime.js',
        command: 'npm run generate',
      }),
    );
    return performance.now() - started;
  };
  await once();
  const inProcess: number[] = [];
  for (let rep = 0; rep < (QUICK ? 2 : 5); rep++) inProcess.push(await once());
  const cli: number[] = [];
  for (let rep = 0; rep < (QUICK ? 1 : 3); rep++) {
    const run = await timeCommand(
      process.execPath,
      [
        '--import',
        'tsx',
        'codegen/bin.ts',
        '--catalogue',
        source,
        '--out',
        'generated',
        '--runtime-import',
        '../src/runtime.js',
        '--command',
        'npm run generate',
        '--check',
      ],
      ROOT,
    );
    if (run.code !== 0) throw new Error(`generate --check failed: ${run.output}`);
    cli.push(run.ms);
  }

  // A file that calls all 38 methods, type-checked against the built package as a user's editor would.
  const catalogue = loadCatalogue(parse(text), source);
  const dir = join(ROOT, 'bench', '.tmp');
  mkdirSync(dir, { recursive: true });
  const calls = catalogue.requests.map((request) => {
    const args = request.args
      .filter((a) => !a.optional)
      .map((a) => `${a.name}: ${sample(a.type, catalogue)}`);
    return `  results.push(await client.${request.method}({ ${[...args, "client_ipaddr: '203.0.113.7'"].join(', ')} }));`;
  });
  writeFileSync(
    join(dir, 'calls.ts'),
    `import { Authnzerver } from 'authnzerver';\nconst client = new Authnzerver();\nconst results: unknown[] = [];\nexport async function all(): Promise<unknown[]> {\n${calls.join('\n')}\n  return results;\n}\n`,
  );
  writeFileSync(
    join(dir, 'none.ts'),
    "import { Authnzerver } from 'authnzerver';\nexport const client = new Authnzerver();\n",
  );
  const tsconfig = (file: string): string => {
    const path = join(dir, `tsconfig.${file}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: [`${file}.ts`],
      }),
    );
    return path;
  };
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const timeTsc = async (file: string): Promise<number[]> => {
    const times: number[] = [];
    for (let rep = 0; rep < (QUICK ? 1 : 3); rep++) {
      const run = await timeCommand(process.execPath, [tsc, '-p', tsconfig(file)], ROOT);
      if (run.code !== 0) throw new Error(`tsc failed on ${file}.ts: ${run.output}`);
      times.push(run.ms);
    }
    return times;
  };
  const withCalls = summarize(await timeTsc('calls'));
  const baseline = summarize(await timeTsc('none'));
  rmSync(dir, { recursive: true, force: true });

  const generateIn = summarize(inProcess);
  const generateCli = summarize(cli);
  results.codegen = {
    generateInProcessMs: generateIn,
    generateCliCheckMs: generateCli,
    tscAll38Ms: withCalls,
    tscImportOnlyMs: baseline,
    methods: catalogue.requests.length,
  };
  log('\nThe generator and the types, ms (median, min–max)');
  log(
    table(
      ['what', 'ms'],
      [
        [
          'regenerate the whole catalogue (load, generate, format), in process',
          `${fmt(generateIn.median)} (${fmt(generateIn.min)}–${fmt(generateIn.max)})`,
        ],
        [
          'npm run generate -- --check, cold process',
          `${fmt(generateCli.median, 0)} (${fmt(generateCli.min, 0)}–${fmt(generateCli.max, 0)})`,
        ],
        [
          `tsc --noEmit, a file calling all ${catalogue.requests.length} methods`,
          `${fmt(withCalls.median, 0)} (${fmt(withCalls.min, 0)}–${fmt(withCalls.max, 0)})`,
        ],
        [
          'tsc --noEmit, a file that only constructs the client',
          `${fmt(baseline.median, 0)} (${fmt(baseline.min, 0)}–${fmt(baseline.max, 0)})`,
        ],
      ],
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Load: 50,000 calls at concurrency 100 against the test server.

function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

async function benchLoad(): Promise<void> {
  const { child, ready } = await startChild<{ url: string; secret: string }>(
    ['--import', 'tsx', join(ROOT, 'bench/test-server.ts')],
    {},
  );
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the bench with --expose-gc (npm run bench does)');
  const client = new Authnzerver({ url: ready.url, secret: ready.secret, connections: POOL });
  const session = await benchSession(client, null);
  if (!session.success) throw new Error(`bench: ${session.failure}`);
  const token = session.response.session_token;
  // Warm up, then settle the heap.
  await measure(
    async () => {
      await client.sessionExists({ session_token: token, client_ipaddr: IP });
    },
    2000,
    LOAD_CONCURRENCY,
  );
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const socketsBefore = tcpSockets();
  let maxSockets = socketsBefore;
  const sampler = setInterval(() => {
    maxSockets = Math.max(maxSockets, tcpSockets());
  }, 20);
  const answered = new Map<string | number, number>();
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: LOAD_CONCURRENCY }, async () => {
      while (issued < LOAD_REQUESTS) {
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
  const onceEach = [...answered.values()].every((n) => n === 1);
  const answeredCount = answered.size;
  // The bench's own bookkeeping goes before the heap is measured again.
  answered.clear();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  await client.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const socketsAfterClose = tcpSockets();
  const load = {
    requests: LOAD_REQUESTS,
    concurrency: LOAD_CONCURRENCY,
    seconds,
    rps: LOAD_REQUESTS / seconds,
    answered: answeredCount,
    answeredOnceEach: onceEach,
    failures,
    heapBeforeMB: heapBefore / 2 ** 20,
    heapAfterMB: heapAfter / 2 ** 20,
    heapGrowthMB: (heapAfter - heapBefore) / 2 ** 20,
    pool: POOL,
    maxSockets,
    socketsAfterRun,
    socketsAfterClose,
  };
  results.load = load;
  log(
    `\nLoad: ${LOAD_REQUESTS} sessionExists calls at concurrency ${LOAD_CONCURRENCY} against the test server (pool ${POOL})`,
  );
  log(
    table(
      ['figure', 'value'],
      [
        ['requests/s', fmt(load.rps, 0)],
        ['calls answered (each exactly once)', `${load.answered} (${onceEach ? 'yes' : 'NO'})`],
        ['failures', String(failures)],
        [
          'heap after GC, before → after (MB)',
          `${fmt(load.heapBeforeMB)} → ${fmt(load.heapAfterMB)} (${load.heapGrowthMB >= 0 ? '+' : ''}${fmt(load.heapGrowthMB, 2)})`,
        ],
        [
          'TCP sockets: most at once / after the run / after close',
          `${maxSockets} / ${socketsAfterRun} / ${socketsAfterClose}`,
        ],
      ],
    ),
  );
  goals.push({
    goal: `load: ${LOAD_REQUESTS} calls at concurrency ${LOAD_CONCURRENCY}, each answered once, heap and sockets bounded`,
    target: `every call once; heap growth < 5 MB; sockets ≤ ${POOL}, 0 after close`,
    value: `${load.answered} once each: ${onceEach}; ${load.heapGrowthMB >= 0 ? '+' : ''}${fmt(load.heapGrowthMB, 2)} MB; ${maxSockets} sockets, ${socketsAfterClose} after close`,
    met:
      load.answered === LOAD_REQUESTS &&
      onceEach &&
      failures === 0 &&
      load.heapGrowthMB < 5 &&
      maxSockets <= POOL &&
      socketsAfterClose === 0,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What a fresh `npm install authnzerver` installs.

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

async function benchInstall(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'authnzerver-install-'));
  try {
    const pack = await timeCommand('npm', ['pack', '--pack-destination', dir, '--silent'], ROOT);
    const tarball = pack.output.trim().split('\n').pop() ?? '';
    if (pack.code !== 0 || tarball === '') throw new Error(`npm pack failed: ${pack.output}`);
    writeFileSync(join(dir, 'package.json'), '{"name":"app","private":true}');
    const install = await timeCommand(
      'npm',
      ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)],
      dir,
    );
    if (install.code !== 0) throw new Error(`npm install failed: ${install.output}`);
    const modules = join(dir, 'node_modules');
    const packages = readdirSync(modules).filter((name) => !name.startsWith('.'));
    const sizes = Object.fromEntries(
      packages.map((name) => [name, sizeOf(join(modules, name)) / 2 ** 20]),
    );
    const total = sizeOf(modules) / 2 ** 20;
    const absent = ['ts-morph', 'typescript', 'prettier', 'yaml'].filter(
      (name) => !packages.includes(name),
    );
    results.install = { totalMB: total, packagesMB: sizes, codegenPeersAbsent: absent };
    log('\nA fresh npm install of the packed package');
    log(
      table(
        ['package', 'MB'],
        [
          ...Object.entries(sizes)
            .sort((a, b) => b[1] - a[1])
            .map(([name, mb]) => [name, fmt(mb)]),
          ['total', fmt(total)],
        ],
      ),
    );
    log(`not installed (the generator's optional peers): ${absent.join(', ')}`);
  } catch (error) {
    results.install = { error: (error as Error).message };
    log(`\nInstalled size: not measured (${(error as Error).message}); it needs the npm registry.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------

log(
  `authnzerver bench: Node ${process.version}, ${results.cpus as number} × ${results.cpu as string}${QUICK ? ' (BENCH_QUICK=1: fewer runs)' : ''}`,
);
// BENCH_ONLY=http,sync,... runs some sections (for work on one of them); a full run measures them all.
const only = new Set(
  (process.env.BENCH_ONLY ?? 'http,fernet,sync,import,bundle,codegen,load,install').split(','),
);
if (only.has('http')) await benchHttp();
if (only.has('fernet')) benchFernet();
if (only.has('sync')) await benchSync();
if (only.has('sync')) await benchSyncStart();
if (only.has('import')) await benchImport();
if (only.has('bundle')) await benchBundle();
if (only.has('codegen')) await benchCodegen();
if (only.has('load')) await benchLoad();
if (only.has('install')) await benchInstall();
// The web section (bench/web.ts): the Express adapter's client CPU and the session cache; in a full run, or BENCH_ONLY=web.
if (process.env.BENCH_ONLY === undefined || only.has('web')) {
  const { benchWeb } = await import('./web.js');
  const web = await benchWeb(log, { quick: QUICK });
  results.web = web.results;
  goals.push(...web.goals);
}
// The runtimes bench (bench/runtimes.ts): req/s at concurrency 1 on each runtime; in a full run, or BENCH_ONLY=runtimes.
if (process.env.BENCH_ONLY === undefined || only.has('runtimes')) {
  const { benchRuntimes } = await import('./runtimes.js');
  results.runtimes = await benchRuntimes(log, {
    requests: QUICK ? 200 : 1000,
    warmup: QUICK ? 20 : 100,
  });
}
results.goals = goals;
log('\nGoals (ratios from this run)');
log(
  table(
    ['goal', 'target', 'this run', 'met'],
    goals.map((g) => [g.goal, g.target, g.value, g.met ? 'yes' : 'NO']),
  ),
);
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log('\nThe same figures are in bench/results.json.');
