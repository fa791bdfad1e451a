import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { type DocBlock, moduleSource } from './blocks.js';

/**
 * Compiles the documentation's blocks against the package as `npm pack` makes it: the tarball unpacked as
 * node_modules/authnzerver of a folder of its own, so `authnzerver` and its subpaths resolve through the packed
 * package.json `exports` to the packed declarations, as in a consumer's app. The package's dependencies and the
 * frameworks' types resolve from this repository's node_modules (the folder is inside it), the versions the
 * lockfile pins. The check is strict, with `skipLibCheck: false`.
 *
 * A successful check is remembered under node_modules/.cache by the hash of what it depends on (the files the
 * tarball is made of, the blocks, the compiler options and version, and this harness), so an unchanged tree skips
 * the pack and the compile.
 */

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'authnzerver-doc-blocks');

/** The compiler options of a consumer's strict app, with every declaration file checked. */
export function compilerOptions(): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.esnext.disposable.d.ts'],
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    jsx: ts.JsxEmit.ReactJSX,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    useUnknownInCatchVariables: true,
    isolatedModules: true,
    allowJs: true,
    checkJs: true,
    skipLibCheck: false,
    // The NestJS recipe's parameter decorators (`@Auth() auth`) are TypeScript's legacy decorators, as Nest uses.
    experimentalDecorators: true,
    noEmit: true,
  };
}

/** Every file `npm pack` would take (package.json `files`, and package.json itself), in a stable order. */
function packedFiles(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  const out: string[] = ['package.json', 'README.md'];
  const walk = (path: string): void => {
    const full = join(ROOT, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) walk(join(path, entry));
    } else {
      out.push(path);
    }
  };
  for (const entry of pkg.files) walk(entry);
  return out;
}

/** The hash of what `npm pack` would pack. */
function packKey(): string {
  const hash = createHash('sha256');
  for (const file of packedFiles()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/** The cache key of a compile: the packed files, the blocks as compiled, the options, the compiler and this harness. */
function cacheKey(pack: string, blocks: readonly DocBlock[]): string {
  const hash = createHash('sha256').update(pack);
  for (const block of blocks) {
    hash.update(`${block.lang}\0${moduleSource(block)}\0${JSON.stringify(block.modules)}\0`);
  }
  hash.update(JSON.stringify(compilerOptions())).update(ts.version);
  for (const own of ['blocks.ts', 'compile.ts']) {
    hash.update(readFileSync(fileURLToPath(new URL(own, import.meta.url))));
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * A folder with the packed package installed as `node_modules/authnzerver`, made once per content of the package
 * (under node_modules/.cache, by the hash of the files `npm pack` takes): `npm pack` of dist/ as it is (`npm test`
 * builds it first), unpacked. Folders of older contents are removed.
 */
export async function packedFolder(): Promise<string> {
  const key = packKey();
  const dir = join(CACHE, `package-${key}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  mkdirSync(CACHE, { recursive: true });
  for (const old of readdirSync(CACHE)) {
    if (old.startsWith('package-')) rmSync(join(CACHE, old), { recursive: true, force: true });
  }
  mkdirSync(join(dir, 'node_modules', 'authnzerver'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    '{ "name": "doc-blocks", "private": true, "type": "module" }\n',
  );
  // --ignore-scripts: dist/ as it is, without `prepare` rebuilding it under other tests' feet.
  const packed = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const tarball = join(dir, (JSON.parse(packed.stdout) as [{ filename: string }])[0].filename);
  await run('tar', [
    'xzf',
    tarball,
    '-C',
    join(dir, 'node_modules', 'authnzerver'),
    '--strip-components=1',
  ]);
  rmSync(tarball);
  writeFileSync(done, `${key}\n`);
  return dir;
}

/** The result of checking the blocks. */
export interface BlockCheck {
  /** Each type error, as `file:line: message`, where file and line are the Markdown's. */
  readonly errors: string[];
  /** Whether the result came from the cache (nothing was packed or compiled). */
  readonly cached: boolean;
  /** The folder with the packed package and the blocks as files, when they were compiled now. */
  readonly dir?: string;
  /** Each block's file in `dir`, by index. */
  readonly files: string[];
}

/**
 * The packages whose declarations the check covers besides the blocks: the packed package and its dependencies,
 * which every consumer compiles. The frameworks' own declarations (Next.js, SvelteKit, Koa under
 * `skipLibCheck: false`) have errors of their own in a plain app, which are theirs to fix, not ours.
 */
const CHECKED_PACKAGES = [
  'authnzerver',
  'zod',
  'undici',
  'ky',
  'cookie',
  'ipaddr.js',
  'negotiator',
];

/** Whether a diagnostic's file is a block or a declaration of a checked package. */
function ours(fileName: string, dir: string): boolean {
  if (fileName.startsWith(join(dir, 'blocks'))) return true;
  const inModules = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(fileName);
  if (inModules === null) return !fileName.includes('/typescript/lib/');
  return CHECKED_PACKAGES.includes(inModules[1] ?? '');
}

/** The file name of a block in the compiled folder. */
function blockFile(block: DocBlock, index: number): string {
  const ext = block.lang === 'js' ? 'cjs' : block.lang;
  return `${String(index).padStart(3, '0')}-${block.file.replace(/[/.]/g, '_')}-${block.line}.${ext}`;
}

/**
 * Compiles `blocks` in the packed package's folder (packedFolder), unless the cache says this exact input compiled
 * before.
 * @param force compile even when the cache says it passed.
 */
export async function checkBlocks(blocks: readonly DocBlock[], force = false): Promise<BlockCheck> {
  const key = cacheKey(packKey(), blocks);
  const marker = join(CACHE, `compiled-${key}`);
  if (!force && existsSync(marker)) return { errors: [], cached: true, files: [] };

  const dir = await packedFolder();
  rmSync(join(dir, 'blocks'), { recursive: true, force: true });
  mkdirSync(join(dir, 'blocks'), { recursive: true });
  const files = blocks.map((block, index) => {
    // Each block in a folder of its own, with the hidden modules it imports.
    const folder = join(dir, 'blocks', String(index).padStart(3, '0'));
    // In an `app` folder, so that a block's `../utils/auth` stays inside its own folder.
    const path = join(folder, 'app', blockFile(block, index));
    mkdirSync(join(folder, 'app'), { recursive: true });
    writeFileSync(path, moduleSource(block));
    for (const [module, source] of Object.entries(block.modules)) {
      const target = module.startsWith('.')
        ? join(folder, 'app', module)
        : join(folder, 'node_modules', module);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${source}\n`);
    }
    return path;
  });
  // `js` blocks are CommonJS, resolved as Node.js resolves `require()`; the rest as a bundler-built app.
  const js = files.filter((file) => file.endsWith('.cjs'));
  const programs = [
    ts.createProgram(
      files.filter((file) => !file.endsWith('.cjs')),
      compilerOptions(),
    ),
    ...(js.length === 0
      ? []
      : [
          ts.createProgram(js, {
            ...compilerOptions(),
            module: ts.ModuleKind.NodeNext,
            moduleResolution: ts.ModuleResolutionKind.NodeNext,
          }),
        ]),
  ];
  const errors = programs
    .flatMap((program) => ts.getPreEmitDiagnostics(program))
    .filter((d) => d.file === undefined || ours(d.file.fileName, dir))
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined || d.start === undefined) return message;
      const line = d.file.getLineAndCharacterOfPosition(d.start).line;
      const index = files.indexOf(d.file.fileName);
      const block = blocks[index];
      if (block === undefined) return `${relative(dir, d.file.fileName)}:${line + 1}: ${message}`;
      // The block's code starts after its prelude and surroundings: map back to the Markdown's line.
      const source = moduleSource(block);
      const codeStart = source.indexOf(block.code);
      const codeLine = source.slice(0, codeStart).split('\n').length - 1;
      const where =
        line >= codeLine
          ? `${block.file}:${block.line + 1 + line - codeLine}`
          : `${block.file}:${block.line} (prelude line ${line + 1})`;
      return `${where}: ${message}`;
    });
  if (errors.length === 0) {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
  return { errors, cached: false, dir, files };
}
