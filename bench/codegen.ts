/**
 * The `codegen` section: the generator's time, in process and as the CLI in a cold process, and the editor's cost
 * of the generated types (`tsc --noEmit` of a file that calls every method, against one that only constructs the
 * client).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadCatalogue, type Catalogue } from '../codegen/generator/catalogue.js';
import { formatFiles } from '../codegen/generator/format.js';
import { generate } from '../codegen/generator/generate.js';
import type { TypeNode } from '../codegen/generator/types.js';
import {
  BENCH_IP,
  fmtSpread,
  printTable,
  ROOT,
  summarize,
  timeCommand,
  type BenchOptions,
  type SectionResult,
  type Summary,
} from './lib.js';

const SOURCE = 'schema/authnzerver.yaml';
const RUNTIME_IMPORT = '../src/runtime.js';
const COMMAND = 'npm run generate';

/** A value of `node`'s type, as TypeScript source, for the calls file. */
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

/** Regenerates the whole catalogue in process (load, generate, format) once to warm up, then `reps` times. */
async function timeGenerateInProcess(text: string, reps: number): Promise<number[]> {
  const once = async (): Promise<number> => {
    const started = performance.now();
    await formatFiles(
      generate(loadCatalogue(parse(text), SOURCE), {
        runtimeImport: RUNTIME_IMPORT,
        command: COMMAND,
      }),
    );
    return performance.now() - started;
  };
  await once();
  const times: number[] = [];
  for (let rep = 0; rep < reps; rep++) times.push(await once());
  return times;
}

/** Runs the generator's CLI with `--check` in a cold process, as `npm run generate -- --check` does. */
async function timeGenerateCli(reps: number): Promise<number[]> {
  const times: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const run = await timeCommand(
      process.execPath,
      [
        '--import',
        'tsx',
        'codegen/bin.ts',
        '--catalogue',
        SOURCE,
        '--out',
        'generated',
        '--runtime-import',
        RUNTIME_IMPORT,
        '--command',
        COMMAND,
        '--check',
      ],
      ROOT,
    );
    if (run.code !== 0) throw new Error(`generate --check failed: ${run.output}`);
    times.push(run.ms);
  }
  return times;
}

/** Writes `dir/<file>.ts`'s tsconfig: strict, against the built package as a user's editor resolves it. */
function writeTsconfig(dir: string, file: string): string {
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
}

/**
 * A file that calls every method and a file that only constructs the client, each type-checked `reps` times with
 * `tsc --noEmit` against the built package, as a user's editor would.
 */
async function timeTypeCheck(
  catalogue: Catalogue,
  reps: number,
): Promise<{ withCalls: Summary; baseline: Summary }> {
  const dir = join(ROOT, 'bench', '.tmp');
  mkdirSync(dir, { recursive: true });
  const calls = catalogue.requests.map((request) => {
    const args = request.args
      .filter((a) => !a.optional)
      .map((a) => `${a.name}: ${sample(a.type, catalogue)}`);
    return `  results.push(await client.${request.method}({ ${[...args, `client_ipaddr: '${BENCH_IP}'`].join(', ')} }));`;
  });
  writeFileSync(
    join(dir, 'calls.ts'),
    `import { Authnzerver } from 'authnzerver';\nconst client = new Authnzerver();\nconst results: unknown[] = [];\nexport async function all(): Promise<unknown[]> {\n${calls.join('\n')}\n  return results;\n}\n`,
  );
  writeFileSync(
    join(dir, 'none.ts'),
    "import { Authnzerver } from 'authnzerver';\nexport const client = new Authnzerver();\n",
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const timeTsc = async (file: string): Promise<number[]> => {
    const times: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const run = await timeCommand(process.execPath, [tsc, '-p', writeTsconfig(dir, file)], ROOT);
      if (run.code !== 0) throw new Error(`tsc failed on ${file}.ts: ${run.output}`);
      times.push(run.ms);
    }
    return times;
  };
  const withCalls = summarize(await timeTsc('calls'));
  const baseline = summarize(await timeTsc('none'));
  rmSync(dir, { recursive: true, force: true });
  return { withCalls, baseline };
}

/** Runs the section. */
export async function benchCodegen({ quick, reps, log }: BenchOptions): Promise<SectionResult> {
  const text = readFileSync(join(ROOT, SOURCE), 'utf8');
  const generateIn = summarize(await timeGenerateInProcess(text, reps));
  const generateCli = summarize(await timeGenerateCli(quick ? 1 : 3));
  const catalogue = loadCatalogue(parse(text), SOURCE);
  const { withCalls, baseline } = await timeTypeCheck(catalogue, quick ? 1 : 3);
  printTable(
    log,
    'The generator and the types, ms (median, min–max)',
    ['what', 'ms'],
    [
      [
        'regenerate the whole catalogue (load, generate, format), in process',
        fmtSpread(generateIn),
      ],
      ['npm run generate -- --check, cold process', fmtSpread(generateCli, 0)],
      [
        `tsc --noEmit, a file calling all ${catalogue.requests.length} methods`,
        fmtSpread(withCalls, 0),
      ],
      ['tsc --noEmit, a file that only constructs the client', fmtSpread(baseline, 0)],
    ],
  );
  return {
    results: {
      codegen: {
        generateInProcessMs: generateIn,
        generateCliCheckMs: generateCli,
        tscAll38Ms: withCalls,
        tscImportOnlyMs: baseline,
        methods: catalogue.requests.length,
      },
    },
    goals: [],
  };
}
