// The CommonJS half of the dual build, run by `npm run build` after `tsc` has written the ES modules (dist/src,
// dist/generated): it writes dist/cjs/, the same modules as CommonJS, for `require('authnzerver')` on every
// Node.js 20 (before 20.19, Node.js cannot require() an ES module) and for Jest with its default config.
//
// - One `.cjs` file per ES module, at the same path under dist/cjs/ (dist/src/client.js → dist/cjs/src/client.cjs):
//   the module graph stays the same, so each module (and its state) exists once per build. esbuild converts each
//   file from tsc's output; relative imports stay imports of the sibling file, renamed `.cjs`. The extension,
//   rather than a dist/cjs/package.json with `"type": "commonjs"`, keeps `#platform` (package.json `imports`)
//   resolving through the package's own package.json, whose `require` targets are checked here.
// - A dependency that is an ES module only (no CommonJS entry: `require()` of it fails before Node.js 20.19) is
//   inlined into the files that import it (ky into src/transport/fetch.cjs),
//   for static and dynamic imports alike: a dynamic `import()` would load it on Node.js, but not under Jest
//   without --experimental-vm-modules. An import() stays lazy: esbuild runs the inlined module on first use.
//   Every other dependency stays a `require()`.
// - `import.meta.url` becomes the file's own URL, from `__filename` (scripts/cjs-shim.js).
// - The declarations are tsc's, copied as `.d.cts` (CommonJS declarations) with their relative imports renamed
//   `.cjs`: the API is the same in both modes. Their maps still point at the sources.
// - The source maps chain through tsc's to the TypeScript sources.
import { build } from 'esbuild';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'cjs');
/** The trees of dist/ that the package's entry points load. dist/src/cli is a bin, run as an ES module only. */
const TREES = ['src', 'generated'];
const SKIP = [join(DIST, 'src', 'cli')];
/**
 * Modules with no CommonJS build: authnzerver/sveltekit, as SvelteKit itself is an ES module only, and its
 * `error()` and `redirect()` must be the app's own classes (an inlined copy would not be recognised).
 */
const SKIP_FILES = [join(DIST, 'src', 'web', 'adapters', 'sveltekit.js')];

/** Every file under `dir` whose name ends with `suffix`. */
function filesUnder(dir, suffix) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !SKIP.some((skip) => file.startsWith(skip + sep)))
    .filter((file) => !SKIP_FILES.includes(file))
    .sort();
}

/** Whether Node.js loads `file` as an ES module: `.mjs`, or `.js` under a package.json with `"type": "module"`. */
function isEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type === 'module';
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    if (dirname(dir) === dir) return false;
  }
}

const BUILTINS = new Set(builtinModules);
const isBuiltin = (path) => path.startsWith('node:') || BUILTINS.has(path.split('/')[0]);
const inNodeModules = (file) => file.split(sep).includes('node_modules');
/** `./x.js` → `./x.cjs`: a relative import of one of our modules, in its CommonJS build. */
const toCjs = (specifier) => specifier.replace(/\.js$/, '.cjs');
const RESOLVING = Symbol('resolving');

/** esbuild plugin: which imports stay imports and which dependencies are inlined (see the top of this file). */
const dependencies = {
  name: 'authnzerver-cjs-dependencies',
  setup(esbuild) {
    esbuild.onResolve({ filter: /.*/ }, async (args) => {
      // Entry points, and the resolution below asking esbuild's own resolver.
      if (args.kind === 'entry-point' || args.pluginData === RESOLVING) return undefined;
      // Inside an inlined dependency: its own files are inlined with it.
      if (inNodeModules(args.importer) && args.path.startsWith('.')) return undefined;
      if (args.path.startsWith('.')) return { path: toCjs(args.path), external: true };
      if (args.path.startsWith('#') || isBuiltin(args.path)) {
        return { path: args.path, external: true };
      }
      const resolved = await esbuild.resolve(args.path, {
        kind: 'require-call',
        resolveDir: args.resolveDir,
        pluginData: RESOLVING,
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return isEsm(resolved.path) ? { path: resolved.path } : { path: args.path, external: true };
    });
  },
};

/** Node.js's choice of target in an `exports` or `imports` entry, under `conditions`. */
function pick(target, conditions) {
  if (typeof target === 'string' || target === null) return target;
  if (Array.isArray(target)) return pick(target[0], conditions);
  for (const [condition, value] of Object.entries(target)) {
    if (condition === 'default' || conditions.has(condition)) return pick(value, conditions);
  }
  return null;
}

/** Every condition named in an `exports` or `imports` entry. */
const conditionsIn = (target) =>
  target === null || typeof target !== 'object'
    ? []
    : Object.entries(target).flatMap(([condition, value]) => [condition, ...conditionsIn(value)]);

/**
 * What is wrong with the package's `imports` (`#platform`) for require(): under `require` and each runtime's
 * condition, each must give an existing file that is not one of the ES modules of dist/src or dist/generated.
 */
function importsProblems(imports) {
  const problems = [];
  for (const [name, target] of Object.entries(imports ?? {})) {
    for (const runtime of new Set([null, ...conditionsIn(target)])) {
      const conditions = new Set(['require', 'node', ...(runtime === null ? [] : [runtime])]);
      const file = pick(target, conditions);
      if (file === null) continue;
      const at = join(ROOT, file);
      const esm = TREES.some((tree) => at.startsWith(join(DIST, tree) + sep));
      if (esm || !existsSync(at)) {
        problems.push(
          `${name} under ${[...conditions].join('+')}: ${file} ${esm ? 'is an ES module' : 'is missing'}`,
        );
      }
    }
  }
  return problems;
}

rmSync(OUT, { recursive: true, force: true });
const entryPoints = TREES.flatMap((tree) => filesUnder(join(DIST, tree), '.js'));
const result = await build({
  entryPoints,
  outbase: DIST,
  outdir: OUT,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'inline',
  logLevel: 'warning',
  define: { 'import.meta.url': '__authnzerver_import_meta_url' },
  inject: [join(dirname(fileURLToPath(import.meta.url)), 'cjs-shim.js')],
  plugins: [dependencies],
});
if (result.errors.length > 0) process.exit(1);

for (const tree of TREES) {
  for (const file of filesUnder(join(DIST, tree), '.d.ts')) {
    const to = join(OUT, relative(DIST, file)).replace(/\.d\.ts$/, '.d.cts');
    mkdirSync(dirname(to), { recursive: true });
    // Relative module specifiers: `from './x.js'`, `import('./x.js')`; and the map's comment.
    const text = readFileSync(file, 'utf8')
      .replace(/((?:from|import)\s*\(?\s*)(['"])(\.\.?\/[^'"]*)\.js\2/g, '$1$2$3.cjs$2')
      .replace(/(\/\/# sourceMappingURL=.*)\.d\.ts\.map$/m, '$1.d.cts.map');
    writeFileSync(to, text);
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    map.file = basename(to);
    map.sources = map.sources.map((source) =>
      relative(dirname(to), join(dirname(file), source))
        .split(sep)
        .join('/'),
    );
    writeFileSync(`${to}.map`, JSON.stringify(map));
  }
}

const problems = importsProblems(
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports,
);
if (problems.length > 0) {
  process.stderr.write(
    `package.json "imports" would give ES modules to require():\n  ${problems.join('\n  ')}\n`,
  );
  process.exit(1);
}

const size = filesUnder(OUT, '.cjs').reduce((sum, file) => sum + statSync(file).size, 0);
process.stdout.write(
  `dist/cjs: ${entryPoints.length} CommonJS modules, ${(size / 1024).toFixed(0)} KiB\n`,
);
