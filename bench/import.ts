/**
 * The `import` section: a cold `import()` of `authnzerver` in a fresh process, and of undici, zod, zod/mini and ky
 * alone, side by side in rounds; and the packages that importing `authnzerver` loads.
 */
import {
  fmt,
  fmtRatio,
  fmtSpread,
  printTable,
  runModule,
  summarize,
  type BenchOptions,
  type SectionResult,
  type Summary,
} from './lib.js';

const SPECIFIERS = ['authnzerver', 'undici', 'zod', 'zod/mini', 'ky'];

/** The milliseconds a fresh process takes to `import(specifier)`. */
async function importTime(specifier: string): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const run = await runModule(code);
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
  const run = await runModule(code);
  return JSON.parse(run.output) as string[];
}

/**
 * Side by side: each round imports every module once, each in a fresh process, so that drift hits all alike;
 * every other round in the reverse order, so that neither goes first always. The times per module, and the ratio
 * of authnzerver to undici per round.
 */
async function importRounds(
  rounds: number,
): Promise<{ times: Record<string, number[]>; ratios: number[] }> {
  const times: Record<string, number[]> = Object.fromEntries(SPECIFIERS.map((s) => [s, []]));
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? SPECIFIERS : [...SPECIFIERS].reverse();
    for (const specifier of order) times[specifier]?.push(await importTime(specifier));
    ratios.push((times.authnzerver?.at(-1) ?? Number.NaN) / (times.undici?.at(-1) ?? Number.NaN));
  }
  return { times, ratios };
}

/** Runs the section. */
export async function benchImport({ quick, log }: BenchOptions): Promise<SectionResult> {
  const rounds = quick ? 5 : 11;
  const { times, ratios } = await importRounds(rounds);
  const summaries = SPECIFIERS.map((name) => [name, summarize(times[name] ?? [])] as const);
  const s: Record<string, Summary> = Object.fromEntries(summaries);
  const total = s.authnzerver?.median ?? Number.NaN;
  // What the import loads (an untimed run: the inspector slows it): undici's Agent and ky wait for their first use.
  const loaded = await packagesLoadedBy('authnzerver');
  const ratio = summarize(ratios);
  printTable(
    log,
    `Cold import in a fresh process, ms (median of ${rounds} rounds, min–max)`,
    ['module', 'ms', 'against authnzerver'],
    summaries.map(([name, summary]) => [
      name === 'ky' ? 'ky (loaded only by the fetch transport)' : name,
      fmtSpread(summary),
      name === 'authnzerver' ? '100%' : `${fmt((summary.median / total) * 100, 0)}% alone`,
    ]),
  );
  log(
    `authnzerver against undici, round by round: ${fmtRatio(ratio.median)} (${fmt(ratio.min, 2)}–${fmt(ratio.max, 2)})`,
  );
  log(`packages loaded by import('authnzerver'): ${loaded.join(', ') || 'none'}`);
  return {
    results: {
      import: {
        ...s,
        rounds,
        vsUndici: ratio,
        zodShare: (s.zod?.median ?? 0) / total,
        packagesLoaded: loaded,
        kyLoaded: loaded.includes('ky'),
        undiciLoaded: loaded.includes('undici'),
      },
    },
    goals: [
      {
        goal: "cold import('authnzerver')",
        target: '< 150 ms',
        value: `${fmt(total)} ms`,
        met: total < 150,
      },
      {
        goal: "cold import('authnzerver') against import('undici'), side by side",
        target: '≤ 1.2×',
        value: fmtRatio(ratio.median),
        met: ratio.median <= 1.2,
      },
    ],
  };
}
