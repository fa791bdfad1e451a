/**
 * The bundle a Cloudflare Worker ships: `bench/worker.ts` (one `sessionExists` call) bundled by esbuild as
 * wrangler bundles it (conditions `workerd` and `worker`, platform neutral, minified), against the built package as
 * an app imports it. It reports the size, minified and gzipped, and what is in it package by package (from
 * esbuild's metafile), and the `node:` modules and undici files it would load, which a Worker should not need.
 */
import { build, type Plugin } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fmt, table, ROOT, type BenchOptions, type SectionResult } from './lib.js';

/** What the bundle holds, in KiB. */
export interface BundleFigures {
  readonly minifiedKiB: number;
  readonly gzipKiB: number;
  /** KiB of minified output per package, largest first; `authnzerver` is this package. */
  readonly packagesKiB: Record<string, number>;
  /** The `node:` modules the bundle imports (left out of it). */
  readonly nodeModules: readonly string[];
  readonly hasUndici: boolean;
}

/** The package a bundled file belongs to: the folder after its last `node_modules/`, or this package. */
function packageOf(path: string): string {
  const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1] ?? 'authnzerver';
}

/** Bundles the worker and measures it. `root` is the repository, built (the package resolves to dist/). */
export async function bundleWorker(root: string): Promise<BundleFigures> {
  const nodeModules = new Set<string>();
  // A Worker has no `node:` modules without nodejs_compat: note each one and leave it out, as wrangler would fail.
  const nodeBuiltins: Plugin = {
    name: 'node-builtins',
    setup(setup) {
      setup.onResolve({ filter: /^node:/ }, (args) => {
        nodeModules.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [join(root, 'bench', 'worker.ts')],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    // Not the repository's tsconfig, whose `paths` point `authnzerver` at the sources: the worker imports the
    // built package through its `exports`, as an app does.
    tsconfigRaw: '{}',
    metafile: true,
    plugins: [nodeBuiltins],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  const meta = Object.values(result.metafile.outputs)[0];
  if (output === undefined || meta === undefined) throw new Error('bench: esbuild wrote no bundle');
  const bytes: Record<string, number> = {};
  for (const [path, input] of Object.entries(meta.inputs)) {
    const name = packageOf(path);
    bytes[name] = (bytes[name] ?? 0) + input.bytesInOutput;
  }
  const packagesKiB = Object.fromEntries(
    Object.entries(bytes)
      .filter(([, size]) => size > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, size]) => [name, size / 1024]),
  );
  return {
    minifiedKiB: output.contents.byteLength / 1024,
    gzipKiB: gzipSync(output.contents, { level: 9 }).byteLength / 1024,
    packagesKiB,
    nodeModules: [...nodeModules].sort(),
    hasUndici: 'undici' in packagesKiB,
  };
}

/** The bundle's table: per package, KiB minified and share, then the totals. */
export function bundleTable(figures: BundleFigures): string {
  const rows = Object.entries(figures.packagesKiB).map(([name, kib]) => [
    name,
    fmt(kib, 1),
    `${fmt((kib / figures.minifiedKiB) * 100, 0)}%`,
  ]);
  return [
    table(['package', 'KiB minified', 'share'], rows),
    `total: ${fmt(figures.minifiedKiB, 1)} KiB minified, ${fmt(figures.gzipKiB, 1)} KiB gzip`,
    `node: modules imported: ${figures.nodeModules.length === 0 ? 'none' : figures.nodeModules.join(', ')}; undici: ${figures.hasUndici ? 'in it' : 'not in it'}`,
  ].join('\n');
}

/** Runs the `bundle` section: bundles the worker, prints its table, and judges its size. */
export async function benchBundle({ log }: BenchOptions): Promise<SectionResult> {
  const figures = await bundleWorker(ROOT);
  log('\nThe bundle of a Worker that calls sessionExists (esbuild: workerd, neutral, minified)');
  log(bundleTable(figures));
  return {
    results: { bundle: figures },
    goals: [
      {
        goal: 'the bundle of a Worker that calls sessionExists',
        target: '≤ 50 KiB gzip',
        value: `${fmt(figures.gzipKiB, 1)} KiB gzip (${fmt(figures.minifiedKiB, 1)} KiB minified)`,
        met: figures.gzipKiB <= 50,
      },
    ],
  };
}
