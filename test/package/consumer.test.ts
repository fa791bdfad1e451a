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
 * (this repository's), the oldest version the README supports and TypeScript 7 (the native compiler). In each
 * cell, fixtures/consumer.ts (and fixtures/dispose.ts, `await using`, where the app has `Symbol.asyncDispose`, and
 * fixtures/app.ts, options from `process.env` and an Express 5 handler, where it has Node's types) compile with no
 * error, in them, in the package's declarations or in its dependencies' (compile-consumer.js says what it checks),
 * and each misuse in fixtures/misuse.ts fails with its own error code.
 *
 * One more cell, with TypeScript 5.9 and 7, is an app whose tsconfig is exactly what `tsc --init` writes
 * (fixtures/tsc-init/tsconfig.json, written by TypeScript 5.9.3, this repository's; checked below to be what it
 * writes now): exactOptionalPropertyTypes, verbatimModuleSyntax, noUncheckedIndexedAccess, `types: []`.
 */

const FIXTURES = fileURLToPath(new URL('fixtures/', import.meta.url));
const COMPILER = fileURLToPath(new URL('compile-consumer.js', import.meta.url));
/** The oldest TypeScript the README supports: zod 4's declarations use `NoInfer`, new in 5.4. */
const OLDEST = '5.4.5';
/** TypeScript 7, the native compiler, installed in the app under another name (the app has 5.4 as `typescript`). */
const NATIVE = '7.0.2';
const LATEST = dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
/** The types of the app's Express 5 handler, and the Node.js types they reference: this repository's versions. */
const APP_TYPES = ['@types/express', '@types/node'].map(
  (name) =>
    `${name}@${(JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version}`,
);
/** The folder of the app whose tsconfig is what `tsc --init` writes, with the files it compiles. */
const INIT = 'init';
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

const VERSIONS = ['5.9', OLDEST, '7'] as const;
type Version = (typeof VERSIONS)[number];
/** The `version` a cell's compiler reports. */
const versionPattern = (version: Version): RegExp =>
  version === OLDEST ? /^5\.4\.5$/ : new RegExp(`^${version.replace('.', '\\.')}\\.`);
/** Where each version's compiler is: this repository's, or the app's. */
const compilerDir = (app: string, version: Version): string =>
  version === '5.9'
    ? LATEST
    : join(app, 'node_modules', version === OLDEST ? 'typescript' : 'typescript-native');

const cellName = (cell: Cell): string =>
  `${cell.commonjs === true ? 'CommonJS app, ' : ''}${cell.module}, ${cell.typesNode ? 'with' : 'without'} @types/node, lib ${cell.lib?.join('+') ?? 'default'}`;
/** The cell's tsconfig, in the app (an ES module) or in its cjs/ folder (CommonJS). */
const configName = (version: string, cell: Cell): string =>
  `${cell.commonjs === true ? 'cjs/' : ''}tsconfig.${version}.${cell.module}.${cell.typesNode ? 'node' : 'nonode'}.json`;
const hasAsyncDispose = (cell: Cell): boolean =>
  cell.typesNode || (cell.lib?.includes('esnext.disposable') ?? false);
/** The files a cell compiles: fixtures/app.ts needs Node's types (`process.env`). */
const filesOf = (cell: Cell): string[] => [
  'consumer.ts',
  'misuse.ts',
  ...(hasAsyncDispose(cell) ? ['dispose.ts'] : []),
  ...(cell.typesNode ? ['app.ts'] : []),
];

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

/**
 * Where each misuse is and which error it must give with each version: the line after each
 * `@ts-expect-error TSnnnn`, or `@ts-expect-error TSnnnn (TypeScript 7: TSmmmm)`.
 */
const expectedMisuse = (version: Version): string[] =>
  readFileSync(join(FIXTURES, 'misuse.ts'), 'utf8')
    .split('\n')
    .flatMap((text, i) => {
      const match = /\/\/ @ts-expect-error TS(\d+)(?: \(TypeScript 7: TS(\d+)\))?/.exec(text);
      if (match === null) return [];
      const code = version === '7' ? (match[2] ?? match[1]) : match[1];
      return [`misuse.ts:${i + 2} TS${code}`];
    });

const show = (d: Diagnostic): string =>
  `${d.file ?? '(global)'}:${d.line ?? 0} TS${d.code} ${d.message}`;

let tmp: string | undefined;
/** Each compiled tsconfig, by version and path: `5.9 cjs/tsconfig.5.9.node16.node.json`. */
const results = new Map<string, Compiled>();
const key = (version: Version, tsconfig: string): string => `${version} ${tsconfig}`;

beforeAll(async () => {
  requireBuilt(DIST_FILES);
  tmp = mkdtempSync(join(tmpdir(), 'authnzerver-consumer-'));
  const { app } = await installPacked(tmp, { type: 'module' }, [
    `typescript@${OLDEST}`,
    `typescript-native@npm:typescript@${NATIVE}`,
    ...APP_TYPES,
  ]);

  // The CommonJS app: a folder of the app whose package.json says so, with the same files.
  const cjs = join(app, 'cjs');
  mkdirSync(cjs);
  writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  // The app of `tsc --init`: its tsconfig as written, and the files it compiles (all in its folder).
  const init = join(app, INIT);
  mkdirSync(init);
  copyFileSync(join(FIXTURES, 'tsc-init', 'tsconfig.json'), join(init, 'tsconfig.json'));
  for (const file of ['consumer.ts', 'dispose.ts', 'app.ts']) {
    copyFileSync(join(FIXTURES, file), join(init, file));
  }
  for (const dir of [app, cjs]) {
    copyFileSync(join(FIXTURES, 'consumer.ts'), join(dir, 'consumer.ts'));
    copyFileSync(join(FIXTURES, 'dispose.ts'), join(dir, 'dispose.ts'));
    copyFileSync(join(FIXTURES, 'app.ts'), join(dir, 'app.ts'));
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
      writeFileSync(
        join(app, configName(version, cell)),
        `${JSON.stringify({ compilerOptions: compilerOptions(cell), files: filesOf(cell) }, null, 2)}\n`,
      );
    }
  }

  // One process per TypeScript version, all at once; each compiles its cells one after the other.
  await Promise.all(
    VERSIONS.map(async (version) => {
      const configs = CELLS.map((cell) => configName(version, cell));
      // The configuration of `tsc --init` is 5.9's: 5.4 does not know all its options.
      if (version !== OLDEST) configs.push(`${INIT}/tsconfig.json`);
      const { stdout } = await run('node', [COMPILER, compilerDir(app, version), ...configs], {
        cwd: app,
        maxBuffer: 64 * 1024 * 1024,
      });
      for (const line of stdout.trim().split('\n')) {
        const compiled = JSON.parse(line) as Compiled;
        results.set(key(version, compiled.tsconfig), compiled);
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
      const compiled = results.get(key(version, configName(version, cell)));
      expect(compiled, 'the cell was compiled').toBeDefined();
      expect(compiled!.version).toMatch(versionPattern(version));

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
      expect(expectedMisuse(version).length).toBeGreaterThan(0);
      expect(misuse.sort(), compiled!.diagnostics.map(show).join('\n')).toEqual(
        expectedMisuse(version).sort(),
      );
    });
  },
);

describe('a consumer app with the tsconfig `tsc --init` writes', () => {
  it('is what this repository’s TypeScript writes now (update fixtures/tsc-init/ when it changes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authnzerver-tsc-init-'));
    try {
      await run('node', [join(LATEST, 'bin', 'tsc'), '--init'], { cwd: dir });
      expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toBe(
        readFileSync(join(FIXTURES, 'tsc-init', 'tsconfig.json'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['5.9', '7'] as const)(
    'compiles its files, app.ts with options from process.env and req.ip, with TypeScript %s',
    (version) => {
      const compiled = results.get(key(version, `${INIT}/tsconfig.json`));
      expect(compiled, 'the cell was compiled').toBeDefined();
      expect(compiled!.version).toMatch(versionPattern(version));
      expect(compiled!.declarations).toContain('dist/src/index.d.ts');
      expect(compiled!.declarations).toContain('dist/src/web/adapters/express.d.ts');
      expect(compiled!.diagnostics.map(show)).toEqual([]);
    },
  );
});
