/**
 * Bundling the sources for one runtime, as that runtime's bundler or resolver would see them: `#platform` goes
 * where package.json's `imports` map sends it under the runtime's conditions (read from the map itself, in its
 * order), and each `node:` module or undici import is either refused (the web platforms: the bundle fails,
 * naming the importer) or left external. (undici itself is loaded with `createRequire`, which no bundler
 * follows: whether a bundle has it shows in its inputs, `src/transport/agent.ts`.) The runtime tests run these
 * bundles in the real runtimes.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type ImportTarget = string | { readonly [condition: string]: ImportTarget } | null;

/**
 * The file `#platform` resolves to under `conditions` (plus `import` and `default`, which every ESM resolver
 * has), by the package.json `imports` map, as a source path: `./dist/src/x.js` is `src/x.ts`.
 */
export function platformSource(conditions: readonly string[]): string {
  const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    imports: Record<string, ImportTarget>;
  };
  const active = new Set([...conditions, 'import', 'default']);
  const pick = (target: ImportTarget): string | undefined => {
    if (typeof target === 'string') return target;
    if (target === null) return undefined;
    for (const [condition, next] of Object.entries(target)) {
      if (!active.has(condition)) continue;
      const found = pick(next);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const target = pick(manifest.imports['#platform'] ?? null);
  if (target === undefined) throw new Error(`#platform has no target for ${conditions.join(', ')}`);
  const match = /^\.\/dist\/(src\/.+)\.js$/.exec(target);
  if (match === null) throw new Error(`#platform's target ${target} is not under ./dist/src/`);
  return `${ROOT}${match[1] as string}.ts`;
}

const BUILTINS = new Set(builtinModules);

export interface BundleOptions {
  /** The module to bundle, as source text (resolved from the repository's root). */
  readonly contents: string;
  /** The runtime's resolution conditions, e.g. `['workerd', 'worker', 'browser']`. */
  readonly conditions: readonly string[];
  /** Refuse any `node:` module and undici (the web platforms); otherwise they stay external. */
  readonly webOnly: boolean;
  /** Minify (for size figures). */
  readonly minify?: boolean;
  /** `esm` (the default), or `iife` for a runtime that evaluates a script. */
  readonly format?: 'esm' | 'iife';
}

export interface Bundle {
  readonly code: string;
  /** The source files in the bundle, relative to the repository's root. */
  readonly inputs: readonly string[];
}

/** Bundles `contents` for one runtime; rejects with esbuild's errors when a refused import is reached. */
export async function bundleFor(options: BundleOptions): Promise<Bundle> {
  const platformFile = platformSource(options.conditions);
  const seam: Plugin = {
    name: 'runtime-seam',
    setup(b) {
      b.onResolve({ filter: /^#platform$/ }, () => ({ path: platformFile }));
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
        const isNode = args.path.startsWith('node:') || BUILTINS.has(bare.split('/')[0] as string);
        const isUndici = args.path === 'undici' || args.path.startsWith('undici/');
        if ((isNode || isUndici) && options.webOnly) {
          return { errors: [{ text: `refused import of "${args.path}" from ${args.importer}` }] };
        }
        return isNode || isUndici ? { path: args.path, external: true } : undefined;
      });
    },
  };
  const result = await build({
    stdin: { contents: options.contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    write: false,
    format: options.format ?? 'esm',
    platform: 'neutral',
    conditions: [...options.conditions],
    mainFields: ['module', 'main'],
    target: 'es2022',
    minify: options.minify === true,
    metafile: true,
    // package.json says `sideEffects: false`; an entry that only runs a module (the CLI) must keep it.
    ignoreAnnotations: true,
    logLevel: 'silent',
    plugins: [seam],
  });
  return {
    code: result.outputFiles[0]?.text ?? '',
    inputs: Object.keys(result.metafile.inputs),
  };
}
