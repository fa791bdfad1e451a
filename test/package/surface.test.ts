import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker } from '../../bench/bundle.js';
import { requireBuilt, ROOT } from './packed.js';

/**
 * The package as a consumer installs it (issue 25, part 5):
 * - no script of its runs at install time;
 * - `npm pack` ships what the package's entry points need, and nothing else;
 * - the budgets of `npm run bench` (bench/README.md, "Goals") hold, as measures that do not depend on the machine's
 *   speed or load, so that a regression fails CI rather than only a report.
 */

const run = promisify(execFile);

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports: Record<string, unknown>;
  imports?: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** Every string leaf of a nested conditions object. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

/** The files the manifest points at: exports, imports, main, types, typesVersions and bins. */
function manifestTargets(): string[] {
  return [
    ...targets(manifest.exports),
    ...targets(manifest.imports ?? {}),
    ...targets(manifest.typesVersions ?? {}),
    ...targets(manifest.bin ?? {}),
    ...(manifest.main === undefined ? [] : [manifest.main]),
    ...(manifest.types === undefined ? [] : [manifest.types]),
  ].map((path) => normalize(path));
}

/**
 * The modules loaded by a computed path, which the import scan below cannot see: the worker threads of the sync
 * API and of the test server in a thread (`new URL(\`./worker${ext}\`, import.meta.url)` in src/sync/host.ts and
 * src/testing/thread.ts).
 */
const COMPUTED = [
  'dist/src/sync/worker.js',
  'dist/cjs/src/sync/worker.cjs',
  'dist/src/testing/thread-worker.js',
  'dist/cjs/src/testing/thread-worker.cjs',
];

/** The relative module specifiers of a built file: static and dynamic imports, re-exports, requires, `new URL`. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  const pattern =
    /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bnew URL\(\s*)(['"])(\.\.?\/[^'"]+)\1/g;
  for (const match of text.matchAll(pattern)) if (match[2] !== undefined) found.push(match[2]);
  return found;
}

/**
 * The files reachable from the manifest's targets through relative imports (in the JavaScript and in the
 * declarations), with the declarations beside each module (where TypeScript looks for its types) and the source
 * maps.
 */
function reachable(): Set<string> {
  const seen = new Set<string>();
  const queue = [...manifestTargets(), ...COMPUTED];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file) || !existsSync(join(ROOT, file))) continue;
    seen.add(file);
    if (!/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file)) continue;
    if (existsSync(join(ROOT, `${file}.map`))) seen.add(`${file}.map`);
    queue.push(file.replace(/\.js$/, '.d.ts').replace(/\.cjs$/, '.d.cts'));
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const specifier of relativeImports(text)) {
      const target = normalize(join(dirname(file), specifier));
      queue.push(target);
      // A declaration imports `./x.js` (or `.cjs`): its types are `./x.d.ts` (or `.d.cts`).
      queue.push(target.replace(/\.js$/, '.d.ts').replace(/\.cjs$/, '.d.cts'));
    }
  }
  return seen;
}

/**
 * What the package ships besides its modules, each with its reason: npm's own files, the catalogue that
 * `extends: authnzerver` finds in the installed package, and the docs the README links to.
 */
const DOCUMENTS: readonly [RegExp, string][] = [
  [/^package\.json$/, 'the manifest'],
  [/^README\.md$/, 'the README'],
  [/^LICENSE$/, 'the licence'],
  [/^schema\/authnzerver\.yaml$/, 'the catalogue, which a catalogue of your own extends'],
  [/^schema\/README\.md$/, "the catalogue's format"],
  [/^docs\/(?:README|[a-z0-9-]+)\.md$/, 'the guides the README links to, and their index'],
];

describe('the package as installed', () => {
  let packed: string[];
  beforeAll(async () => {
    requireBuilt(manifestTargets().filter((path) => path.startsWith('dist/')));
    // --ignore-scripts: the list of dist/ as it is, without `prepack` rebuilding it under other tests' feet.
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    packed = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
  }, 120_000);

  it('runs no script of its own at install time', () => {
    const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'];
    expect(
      Object.keys(manifest.scripts ?? {}).filter((name) => installScripts.includes(name)),
    ).toEqual([]);
    // The build runs when the package is packed (and so published), not when it is installed.
    expect(manifest.scripts?.prepack).toBe('npm run -s build');
  });

  it('ships every file its exports, imports, types and bins point at', () => {
    const shipped = new Set(packed);
    expect(manifestTargets().filter((path) => !shipped.has(path))).toEqual([]);
  });

  it('ships nothing else: each file is a module those reach (or its map), or a listed document', () => {
    const modules = reachable();
    const extras = packed.filter(
      (path) => !modules.has(path) && !DOCUMENTS.some(([pattern]) => pattern.test(path)),
    );
    expect(
      extras,
      'files in `npm pack` that no entry point reaches: drop them from package.json `files`',
    ).toEqual([]);
    // And the scan is not vacuous: the modules are the bulk of the package.
    expect(packed.filter((path) => modules.has(path)).length).toBeGreaterThan(1000);
  });
});

/**
 * The worker bundle's budget: bench/bundle.ts bundles bench/worker.ts (a Cloudflare Worker that calls
 * `sessionExists`) as wrangler does, against the built package. esbuild's output for the same inputs is the same
 * bytes on any machine, so the budget is exact. Measured when this was written: 112,817 bytes minified, 32,516 gzip.
 * The budgets leave about 10% for growth; the goal of bench/README.md is 50 KiB gzip. If a change needs more, raise
 * them here with the reason in the commit.
 */
const BUNDLE_BUDGET = { minified: 124 * 1024, gzip: 36 * 1024 };

describe('the bundle of a Worker that calls sessionExists', () => {
  it(`stays under ${BUNDLE_BUDGET.gzip / 1024} KiB gzip and ${BUNDLE_BUDGET.minified / 1024} KiB minified, without node: modules or undici`, async () => {
    requireBuilt(['dist/src/index.js']);
    const figures = await bundleWorker(ROOT);
    const sizes = `${Math.round(figures.minifiedKiB * 1024)} bytes minified, ${Math.round(figures.gzipKiB * 1024)} gzip`;
    expect(figures.minifiedKiB * 1024, sizes).toBeLessThanOrEqual(BUNDLE_BUDGET.minified);
    expect(figures.gzipKiB * 1024, sizes).toBeLessThanOrEqual(BUNDLE_BUDGET.gzip);
    expect(figures.nodeModules).toEqual([]);
    expect(figures.hasUndici).toBe(false);
  }, 120_000);
});

/**
 * The cold import's budget. bench/import.ts times `import('authnzerver')` in a fresh process (goal: under 150 ms,
 * and at most 1.2× a cold `import('undici')`), but a time on a shared CI machine swings by 2× with its load, so a
 * test on it would need a margin too wide to catch anything. What a cold import costs is reading, compiling and
 * running the modules it loads; so the test counts them, and their bytes, from the V8 inspector's parsed scripts:
 * the same on any machine, and a regression (a new eager dependency, undici or ky loaded at import, a large module
 * pulled in) shows there first. Measured when this was written: 53 modules and 296,312 bytes of the package, and
 * zod (93 modules, 790,792 bytes), nothing else. The budgets leave about 10%.
 */
const IMPORT_BUDGET = { ownModules: 58, ownBytes: 330_000, totalBytes: 1_200_000 };

const PROBE = `
  import { statSync } from 'node:fs';
  import { fileURLToPath } from 'node:url';
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  const urls = [];
  session.on('Debugger.scriptParsed', ({ params }) => urls.push(params.url));
  await session.post('Debugger.enable');
  await import('authnzerver');
  session.disconnect();
  const loaded = {};
  for (const url of urls.filter((u) => u.startsWith('file://') && !u.includes('[eval'))) {
    const name = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url)?.[1] ?? (url.includes('/dist/') ? 'authnzerver' : url);
    const entry = (loaded[name] ??= { modules: 0, bytes: 0 });
    entry.modules += 1;
    entry.bytes += statSync(fileURLToPath(url)).size;
  }
  process.stdout.write(JSON.stringify(loaded));`;

describe("a cold import('authnzerver')", () => {
  it(`loads only its own modules (at most ${IMPORT_BUDGET.ownModules}, ${IMPORT_BUDGET.ownBytes} bytes) and zod's, ${IMPORT_BUDGET.totalBytes} bytes in all`, async () => {
    requireBuilt(['dist/src/index.js']);
    // A fresh process in the repository: `authnzerver` resolves to dist/ through the package's exports.
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE], {
      cwd: ROOT,
    });
    const loaded = JSON.parse(stdout) as Record<string, { modules: number; bytes: number }>;
    const summary = JSON.stringify(loaded);
    // undici (the default transport's Agent) and ky (the fetch transport) load on first use, not at import.
    expect(Object.keys(loaded).sort(), summary).toEqual(['authnzerver', 'zod']);
    const own = loaded.authnzerver ?? { modules: 0, bytes: 0 };
    expect(own.modules, summary).toBeLessThanOrEqual(IMPORT_BUDGET.ownModules);
    expect(own.bytes, summary).toBeLessThanOrEqual(IMPORT_BUDGET.ownBytes);
    const total = Object.values(loaded).reduce((sum, entry) => sum + entry.bytes, 0);
    expect(total, summary).toBeLessThanOrEqual(IMPORT_BUDGET.totalBytes);
  }, 60_000);
});
