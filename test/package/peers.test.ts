/**
 * Each framework stays an optional peer: importing one adapter's entry point loads its framework and no other.
 * A child Node.js process imports the built entry point (dist/, through the package's `exports`, by
 * self-reference from a script inside the repository) and reports every module it loaded: for an ES module
 * import, a resolve hook registered with `module.register` writes each resolved URL to a file; for `require()`,
 * the keys of `require.cache`. `authnzerver/next` loads `next` (it builds on `NextResponse` and `next/headers`),
 * which also proves the tracing sees a framework when one loads, as do `authnzerver/sveltekit` (SvelteKit's
 * `error` and `redirect`) and `authnzerver/react-router` (its `createContext`); the Express, Fastify and Hono
 * adapters import only their framework's types, so they load none.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, ROOT, run } from './packed.js';

/** The frameworks whose packages an entry point may load, by the folder name in node_modules. */
const FRAMEWORKS = ['express', 'fastify', 'hono', 'next', '@sveltejs/kit', 'react-router'] as const;
type Framework = (typeof FRAMEWORKS)[number];

/** Each entry point and the frameworks it loads. */
const ENTRIES: readonly [string, readonly Framework[]][] = [
  ['authnzerver/next', ['next']],
  ['authnzerver/sveltekit', ['@sveltejs/kit']],
  ['authnzerver/react-router', ['react-router']],
  ['authnzerver/express', []],
  ['authnzerver/fastify', []],
  ['authnzerver/hono', []],
  ['authnzerver/web', []],
  ['authnzerver', []],
];

const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.TRACE_FILE, result.url + '\\n');
  return result;
}
`;
const REGISTER = `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
`;

let dir: string;

beforeAll(() => {
  requireBuilt([
    'dist/src/web/adapters/next.js',
    'dist/cjs/src/web/adapters/next.cjs',
    'dist/src/web/adapters/sveltekit.js',
    'dist/src/web/adapters/react-router.js',
  ]);
  // Inside the repository (its .tmp/ is ignored), so that `authnzerver/...` resolves by self-reference.
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.tmp', 'peers-'));
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), REGISTER);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The frameworks among loaded module paths or URLs. */
function frameworksIn(loaded: readonly string[]): Framework[] {
  return FRAMEWORKS.filter((name) =>
    loaded.some((file) => file.includes(`/node_modules/${name}/`)),
  );
}

/** What an ES module import of `entry` loads. */
async function importTrace(entry: string): Promise<string[]> {
  const name = entry.replaceAll('/', '_');
  const script = join(dir, `${name}.mjs`);
  const trace = join(dir, `${name}.trace`);
  writeFileSync(script, `await import(${JSON.stringify(entry)});\n`);
  writeFileSync(trace, '');
  await run(process.execPath, ['--import', './register.mjs', script], {
    cwd: dir,
    env: { ...process.env, TRACE_FILE: trace },
    timeout: 120_000,
  });
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

/** What a `require()` of `entry` loads. */
async function requireTrace(entry: string): Promise<string[]> {
  const script = join(dir, `${entry.replaceAll('/', '_')}.cjs`);
  writeFileSync(
    script,
    `require(${JSON.stringify(entry)});\nprocess.stdout.write(JSON.stringify(Object.keys(require.cache)));\n`,
  );
  const { stdout } = await run(process.execPath, [script], { cwd: dir, timeout: 120_000 });
  return JSON.parse(stdout) as string[];
}

describe('each adapter loads its own framework and no other', () => {
  it.each(ENTRIES)(
    'import of %s',
    async (entry, frameworks) => {
      const loaded = await importTrace(entry);
      // The built entry point was loaded, not the sources.
      expect(loaded.some((url) => url.includes('/dist/src/'))).toBe(true);
      expect(frameworksIn(loaded)).toEqual(frameworks);
    },
    120_000,
  );

  // `authnzerver/sveltekit` is an ES module only (SvelteKit is: a CommonJS copy would make its `error()` a class
  // SvelteKit does not recognise), so it has no `require()` to trace.
  it.each(ENTRIES.filter(([entry]) => entry !== 'authnzerver/sveltekit'))(
    'require() of %s',
    async (entry, frameworks) => {
      const loaded = await requireTrace(entry);
      expect(loaded.some((file) => file.includes('/dist/cjs/src/'))).toBe(true);
      // No other framework. (A framework that `require()` loads as an ES module, as react-router's
      // `module-sync` build is, is not in `require.cache`: so no more than its own, rather than exactly it.)
      expect(frameworksIn(loaded).filter((name) => !frameworks.includes(name))).toEqual([]);
      if (entry === 'authnzerver/next') expect(frameworksIn(loaded)).toEqual(['next']);
    },
    120_000,
  );
});
