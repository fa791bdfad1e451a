/**
 * Installing the packed package in a new app folder as a user gets it, with the app's files and the bundles made
 * from them for the runtimes that take one file.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readPackage, ROOT, RUN_TIMEOUT_MS, runCommand, tail } from './process.js';

const APP_SOURCES = join(ROOT, 'ecosystem-tests', 'app');

/** The app folder: the packed package installed in it, the app's files, and the bundles made from them. */
export interface InstalledApp {
  /** The temporary folder that holds the tarball and the app; `cleanup()` removes it. */
  readonly tmp: string;
  /** The app's folder (its `node_modules` has the package and its dependencies). */
  readonly dir: string;
  /** The installed package's version. */
  readonly version: string;
  /** The esbuild bundle of worker.js for workerd, or why it could not be made. */
  readonly worker: Bundle;
  /** The esbuild bundle of edge.js for the edge runtime, or why it could not be made. */
  readonly edge: Bundle;
  /** The step names the app reports, in order (app.js's `STEPS`). */
  readonly steps: readonly string[];
  /** How long packing and installing took, in milliseconds. */
  readonly installMs: number;
  cleanup(): void;
}

/** A bundle's file and gzip size, or the bundler's error. */
export type Bundle =
  | { readonly ok: true; readonly file: string; readonly bytes: number }
  | { readonly ok: false; readonly error: string };

/** The gzip size of a file. */
async function gzipSize(file: string): Promise<number> {
  const { gzipSync } = await import('node:zlib');
  return gzipSync(readFileSync(file)).length;
}

/** Bundles an entry of the app with esbuild for a runtime that takes one file; never throws. */
async function bundle(
  dir: string,
  entry: string,
  outfile: string,
  format: 'esm' | 'iife',
  conditions: readonly string[],
): Promise<Bundle> {
  const { build } = await import('esbuild');
  try {
    await build({
      absWorkingDir: dir,
      entryPoints: [entry],
      outfile,
      bundle: true,
      format,
      platform: 'browser',
      conditions: [...conditions],
      target: 'es2022',
      minify: true,
      logLevel: 'silent',
    });
    return { ok: true, file: join(dir, outfile), bytes: await gzipSize(join(dir, outfile)) };
  } catch (error) {
    return { ok: false, error: tail((error as Error).message, 12) };
  }
}

/** Where a package's folder is, as Node would find it from `from` (a folder inside node_modules, or the root). */
function packageDir(name: string, from: string): string {
  const nested = join(from, 'node_modules', name);
  if (existsSync(join(nested, 'package.json'))) return nested;
  const hoisted = join(ROOT, 'node_modules', name);
  if (existsSync(join(hoisted, 'package.json'))) return hoisted;
  throw new Error(
    `${name} is not in node_modules: run \`npm ci\` (the ecosystem app copies it from there)`,
  );
}

/**
 * Copies the package's dependencies, and theirs, into the app's node_modules from this repository's (the
 * versions package-lock.json pins, which `npm ci` installed), flat as npm lays them out. No registry is asked.
 */
function copyDependencies(packageRoot: string, modules: string): void {
  const copied = new Map<string, string>();
  const queue: [string, string][] = Object.keys(readPackage(packageRoot).dependencies ?? {}).map(
    (name) => [name, ROOT],
  );
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [name, from] = next;
    const source = packageDir(name, from);
    const version = readPackage(source).version;
    const seen = copied.get(name);
    if (seen !== undefined) {
      if (seen !== version) throw new Error(`two versions of ${name} needed: ${seen}, ${version}`);
      continue;
    }
    copied.set(name, version);
    cpSync(source, join(modules, name), { recursive: true, dereference: true });
    for (const dependency of Object.keys(readPackage(source).dependencies ?? {})) {
      queue.push([dependency, source]);
    }
  }
}

/**
 * Installs the package as a user gets it: `npm pack` of this repository's dist/ as it is built (`npm test` and
 * `npm run build` build it), the tarball unpacked into a new app's node_modules/authnzerver as npm does, its
 * dependencies copied from this repository's node_modules. Then copies the app's files there, makes the
 * CommonJS copy of app.js, and bundles the workerd and edge entries.
 */
export async function installApp(): Promise<InstalledApp> {
  const started = performance.now();
  if (!existsSync(join(ROOT, 'dist'))) {
    throw new Error('dist/ is not built: run `npm run build` first (`npm test` does)');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'authnzerver-ecosystem-'));
  const cleanup = (): void => {
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    // --ignore-scripts: the package as dist/ is now, without `prepack` rebuilding it.
    const pack = await runCommand(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp],
      { cwd: ROOT, timeoutMs: RUN_TIMEOUT_MS },
    );
    if (pack.code !== 0) throw new Error(`npm pack failed: ${tail(pack.stderr)}`);
    const tarball = join(tmp, (JSON.parse(pack.stdout) as [{ filename: string }])[0].filename);

    const dir = join(tmp, 'app');
    const packageRoot = join(dir, 'node_modules', 'authnzerver');
    mkdirSync(packageRoot, { recursive: true });
    const untar = await runCommand(
      'tar',
      ['-xzf', tarball, '-C', packageRoot, '--strip-components=1'],
      { cwd: tmp, timeoutMs: RUN_TIMEOUT_MS },
    );
    if (untar.code !== 0) throw new Error(`tar failed: ${tail(untar.stderr)}`);
    copyDependencies(packageRoot, join(dir, 'node_modules'));
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'ecosystem-app', private: true, type: 'module' }, null, 2)}\n`,
    );
    cpSync(APP_SOURCES, dir, { recursive: true });

    // The CommonJS copy of the same app code: imports become require() calls, nothing else changes.
    const { transform } = await import('esbuild');
    const cjs = await transform(readFileSync(join(dir, 'app.js'), 'utf8'), {
      format: 'cjs',
      target: 'node20',
      sourcefile: 'app.js',
    });
    writeFileSync(join(dir, 'cjs', 'app.js'), cjs.code);

    const [worker, edge] = await Promise.all([
      // wrangler's conditions, without nodejs_compat: nothing from node: may be in the bundle.
      bundle(dir, 'worker.js', 'worker.bundle.mjs', 'esm', ['workerd', 'worker', 'browser']),
      // The conditions Next.js gives edge code.
      bundle(dir, 'edge.js', 'edge.bundle.js', 'iife', ['edge-light', 'worker', 'browser']),
    ]);
    const { STEPS } = (await import(pathToFileURL(join(dir, 'app.js')).href)) as {
      STEPS: readonly string[];
    };
    return {
      tmp,
      dir,
      version: readPackage(packageRoot).version,
      worker,
      edge,
      steps: STEPS,
      installMs: performance.now() - started,
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
