import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, requireBuilt, ROOT, run } from './packed.js';

/**
 * The published types compile in every consumer app: `npm pack` (of the dist/ that `npm test` builds first), the
 * tarball installed in a new app in a temporary folder, and a consumer file compiled under `strict`, target
 * es2022 and `skipLibCheck: false`, for each module setting, with and without @types/node, in an ES module app
 * and in a CommonJS one (node16 and nodenext resolve `require`: the CommonJS build's `.d.cts`), with TypeScript 5.9
 * (this repository's) and the oldest version the README supports. In each cell, fixtures/consumer.ts (and
 * fixtures/dispose.ts, `await using`, where the app has `Symbol.asyncDispose`) compile with no error, in them,
 * in the package's declarations or in its dependencies' (compile-consumer.js says what it checks), and each
 * misuse in fixtures/misuse.ts fails with its own error code.
 */

const FIXTURES = fileURLToPath(new URL('fixtures/', import.meta.url));
const COMPILER = fileURLToPath(new URL('compile-consumer.js', import.meta.url));
/** The oldest TypeScript the README supports: zod 4's declarations use `NoInfer`, new in 5.4. */
const OLDEST = '5.4.5';
const LATEST = dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
const DIST_FILES = [
  'dist/src/index.d.ts',
  'dist/src/runtime.d.ts',
  'dist/src/testing/index.d.ts',
  'dist/cjs/src/index.d.cts',
];

interface Cell {
  readonly module: 'nodenext' | 'node16' | 'bundler' | 'commonjs';
  readonly typesNode: boolean;
  /** `lib`, or undefined for the target's default: es2022 and the DOM. */
  readonly lib?: readonly string[];
  /** The app is CommonJS (its package.json has no `"type": "module"`): its imports are require() calls. */
  readonly commonjs?: boolean;
}

/**
 * Each module setting with and without @types/node; the `lib` varies between them, to cover an app without the
 * DOM and with or without esnext.disposable (which declares `Symbol.asyncDispose` as @types/node does).
 */
const CELLS: readonly Cell[] = [
  { module: 'nodenext', typesNode: false }, // the app of issue 11: no @types/node, the default lib
  { module: 'node16', typesNode: false, lib: ['es2022', 'esnext.disposable', 'dom'] },
  { module: 'bundler', typesNode: false },
  { module: 'commonjs', typesNode: false, lib: ['es2022', 'esnext.disposable', 'dom'] },
  { module: 'nodenext', typesNode: true, lib: ['es2022'] }, // a Node.js app without the DOM
  { module: 'node16', typesNode: true },
  { module: 'bundler', typesNode: true, lib: ['es2022', 'esnext.disposable'] },
  { module: 'commonjs', typesNode: true },
  // A CommonJS app under node16/nodenext: `import` compiles to require(), which resolves the package's `require`
  // condition, the CommonJS build's declarations.
  { module: 'node16', typesNode: true, commonjs: true },
  {
    module: 'nodenext',
    typesNode: false,
    lib: ['es2022', 'esnext.disposable', 'dom'],
    commonjs: true,
  },
];

const VERSIONS = ['5.9', OLDEST] as const;

const cellName = (cell: Cell): string =>
  `${cell.commonjs === true ? 'CommonJS app, ' : ''}${cell.module}, ${cell.typesNode ? 'with' : 'without'} @types/node, lib ${cell.lib?.join('+') ?? 'default'}`;
/** The cell's tsconfig, in the app (an ES module) or in its cjs/ folder (CommonJS). */
const configName = (version: string, cell: Cell): string =>
  `${cell.commonjs === true ? 'cjs/' : ''}tsconfig.${version}.${cell.module}.${cell.typesNode ? 'node' : 'nonode'}.json`;
const hasAsyncDispose = (cell: Cell): boolean =>
  cell.typesNode || (cell.lib?.includes('esnext.disposable') ?? false);

interface Diagnostic {
  readonly file: string | null;
  readonly line: number | null;
  readonly code: number;
  readonly message: string;
}
interface Compiled {
  readonly tsconfig: string;
  readonly version: string;
  /** The package's declaration files the program read, e.g. `dist/cjs/src/index.d.cts`. */
  readonly declarations: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

function compilerOptions(cell: Cell): Record<string, unknown> {
  return {
    strict: true,
    target: 'es2022',
    module: cell.module === 'bundler' ? 'esnext' : cell.module,
    ...(cell.module === 'bundler' ? { moduleResolution: 'bundler' } : {}),
    // What `tsc --init` writes, and what a CommonJS app has: zod's declarations need it there.
    ...(cell.module === 'commonjs' ? { esModuleInterop: true } : {}),
    ...(cell.lib === undefined ? {} : { lib: cell.lib }),
    // The app has no @types/node of its own: with it, the cell takes this repository's.
    types: cell.typesNode ? ['node'] : [],
    ...(cell.typesNode ? { typeRoots: [join(ROOT, 'node_modules', '@types')] } : {}),
    skipLibCheck: false,
    noEmit: true,
  };
}

/** Where each misuse is and which error it must give: the line after each `@ts-expect-error TSnnnn`. */
const EXPECTED_MISUSE: readonly string[] = readFileSync(join(FIXTURES, 'misuse.ts'), 'utf8')
  .split('\n')
  .flatMap((text, i) => {
    const code = /\/\/ @ts-expect-error TS(\d+)/.exec(text)?.[1];
    return code === undefined ? [] : [`misuse.ts:${i + 2} TS${code}`];
  });

const show = (d: Diagnostic): string =>
  `${d.file ?? '(global)'}:${d.line ?? 0} TS${d.code} ${d.message}`;

let tmp: string | undefined;
const results = new Map<string, Compiled>();

beforeAll(async () => {
  requireBuilt(DIST_FILES);
  tmp = mkdtempSync(join(tmpdir(), 'authnzerver-consumer-'));
  const { app } = await installPacked(tmp, { type: 'module' }, [`typescript@${OLDEST}`]);

  // The CommonJS app: a folder of the app whose package.json says so, with the same files.
  const cjs = join(app, 'cjs');
  mkdirSync(cjs);
  writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  for (const dir of [app, cjs]) {
    copyFileSync(join(FIXTURES, 'consumer.ts'), join(dir, 'consumer.ts'));
    copyFileSync(join(FIXTURES, 'dispose.ts'), join(dir, 'dispose.ts'));
    // The misuse without its directives (same lines), so that each misuse is an error again.
    writeFileSync(
      join(dir, 'misuse.ts'),
      readFileSync(join(FIXTURES, 'misuse.ts'), 'utf8').replaceAll(
        '// @ts-expect-error TS',
        '// expect TS',
      ),
    );
  }
  for (const version of VERSIONS) {
    for (const cell of CELLS) {
      const files = ['consumer.ts', 'misuse.ts', ...(hasAsyncDispose(cell) ? ['dispose.ts'] : [])];
      writeFileSync(
        join(app, configName(version, cell)),
        `${JSON.stringify({ compilerOptions: compilerOptions(cell), files }, null, 2)}\n`,
      );
    }
  }

  // One process per TypeScript version, the two at once; each compiles its cells one after the other.
  await Promise.all(
    VERSIONS.map(async (version) => {
      const typescript = version === OLDEST ? join(app, 'node_modules', 'typescript') : LATEST;
      const configs = CELLS.map((cell) => configName(version, cell));
      const { stdout } = await run('node', [COMPILER, typescript, ...configs], {
        cwd: app,
        maxBuffer: 64 * 1024 * 1024,
      });
      for (const line of stdout.trim().split('\n')) {
        const compiled = JSON.parse(line) as Compiled;
        results.set(compiled.tsconfig, compiled);
      }
    }),
  );
}, 600_000);

afterAll(() => {
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

describe.each(VERSIONS)(
  'a consumer app compiles the packed package with TypeScript %s',
  (version) => {
    it.each(CELLS.map((cell) => [cellName(cell), cell] as const))('%s', (_name, cell) => {
      const compiled = results.get(configName(version, cell));
      expect(compiled, 'the cell was compiled').toBeDefined();
      expect(compiled!.version.startsWith(version === '5.9' ? '5.9.' : OLDEST)).toBe(true);

      // The types of the build the app loads: CommonJS (`require`, and node10 without `exports`) or ESM.
      const cjs = cell.commonjs === true || cell.module === 'commonjs';
      expect(compiled!.declarations).toContain(
        cjs ? 'dist/cjs/src/index.d.cts' : 'dist/src/index.d.ts',
      );
      expect(
        compiled!.declarations.filter((file) => file.startsWith('dist/cjs/') !== cjs),
        'declarations of the other build',
      ).toEqual([]);

      const errors = compiled!.diagnostics.filter((d) => d.file !== 'misuse.ts').map(show);
      expect(errors, 'errors outside misuse.ts').toEqual([]);

      const misuse = compiled!.diagnostics
        .filter((d) => d.file === 'misuse.ts')
        .map((d) => `misuse.ts:${d.line ?? 0} TS${d.code}`);
      expect(EXPECTED_MISUSE.length).toBeGreaterThan(0);
      expect(misuse.sort(), compiled!.diagnostics.map(show).join('\n')).toEqual(
        [...EXPECTED_MISUSE].sort(),
      );
    });
  },
);
