/**
 * npm run bench: the SDK measured against its physical limit and its peers, side by side in one run, as ratios.
 * Writes a table per section and the goals to stdout, and the figures to bench/results.json.
 *
 * `BENCH_ONLY=http,fernet` runs some sections (for work on one of them); a full run measures them all.
 * `BENCH_QUICK=1` makes fewer and shorter runs: a smoke check, whose figures are noisy.
 */
import { cpus } from 'node:os';
import {
  goalsTable,
  writeResults,
  type BenchOptions,
  type Goal,
  type SectionResult,
} from './lib.js';

type Bench = (options: BenchOptions) => Promise<SectionResult>;

/** A section: its name in `BENCH_ONLY`, and its benches (imported only when the section runs). */
interface Section {
  readonly name: string;
  readonly benches: () => Promise<readonly Bench[]>;
}

/** Every section, in the order of a run. */
const SECTIONS: readonly Section[] = [
  { name: 'http', benches: async () => [(await import('./http.js')).benchHttp] },
  { name: 'fernet', benches: async () => [(await import('./fernet.js')).benchFernet] },
  {
    name: 'sync',
    benches: async () => [
      (await import('./sync.js')).benchSync,
      (await import('./sync-start.js')).benchSyncStart,
    ],
  },
  { name: 'import', benches: async () => [(await import('./import.js')).benchImport] },
  { name: 'bundle', benches: async () => [(await import('./bundle.js')).benchBundle] },
  { name: 'codegen', benches: async () => [(await import('./codegen.js')).benchCodegen] },
  { name: 'load', benches: async () => [(await import('./load.js')).benchLoad] },
  { name: 'install', benches: async () => [(await import('./install.js')).benchInstall] },
  { name: 'web', benches: async () => [(await import('./web.js')).benchWeb] },
  { name: 'sessions', benches: async () => [(await import('./sessions.js')).benchSessions] },
  { name: 'limiter', benches: async () => [(await import('./limiter.js')).benchLimiter] },
  {
    name: 'invalidation',
    benches: async () => [(await import('./invalidation.js')).benchInvalidation],
  },
  { name: 'runtimes', benches: async () => [(await import('./runtimes.js')).benchRuntimes] },
];

/** The sections `BENCH_ONLY` names (all when it is unset), in the order of a run; an unknown name is an error. */
function selectedSections(only: string | undefined): readonly Section[] {
  if (only === undefined) return SECTIONS;
  const wanted = only
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const names = SECTIONS.map((section) => section.name);
  const unknown = wanted.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY: no section named ${unknown.join(', ')}; the sections are ${names.join(', ')}`,
    );
  }
  return SECTIONS.filter((section) => wanted.includes(section.name));
}

const quick = process.env.BENCH_QUICK === '1';
const options: BenchOptions = {
  quick,
  reps: quick ? 2 : 5,
  log: (line) => {
    process.stdout.write(`${line}\n`);
  },
};
const sections = selectedSections(process.env.BENCH_ONLY);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick,
};
const goals: Goal[] = [];
options.log(
  `authnzerver bench: Node ${process.version}, ${results.cpus as number} × ${results.cpu as string}${quick ? ' (BENCH_QUICK=1: fewer runs)' : ''}`,
);
for (const { benches } of sections) {
  for (const bench of await benches()) {
    const section = await bench(options);
    Object.assign(results, section.results);
    goals.push(...section.goals);
  }
}
results.goals = goals;
options.log('\nGoals (ratios from this run)');
options.log(goalsTable(goals));
writeResults(results);
options.log('\nThe same figures are in bench/results.json.');
