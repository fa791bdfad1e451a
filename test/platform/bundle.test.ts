/**
 * The runtime seam, as each runtime's resolver sees it: package.json's `imports` map sends `#platform` to the
 * right module under each runtime's conditions, and the package's main entry, bundled with esbuild for a web
 * platform (Cloudflare Workers, edge functions, anything else), reaches no `node:` module and no undici, even
 * through another module; nor does `authnzerver/web`, dependencies (ipaddr.js) included. On Bun the main entry
 * reaches no undici (Bun's is a shim without a dispatcher).
 */
import { describe, expect, it } from 'vitest';
import { bundleFor, platformSource, ROOT } from './bundle.js';

const MAIN = "export * from './src/index.ts';";

/** The modules that load undici: undici is loaded with `createRequire`, which a bundler does not follow. */
const UNDICI_MODULES = ['src/transport/undici.ts', 'src/transport/agent.ts'];

/** Each runtime's conditions, as its bundler or resolver passes them, and the platform module it must get. */
const RUNTIMES = [
  {
    name: 'Cloudflare Workers (wrangler)',
    conditions: ['workerd', 'worker', 'browser'],
    module: 'workerd',
    webOnly: true,
  },
  {
    name: 'Vercel edge (Next.js middleware)',
    conditions: ['edge-light', 'worker', 'browser'],
    module: 'edge-light',
    webOnly: true,
  },
  { name: 'a bundler for an unknown runtime', conditions: [], module: 'web', webOnly: true },
  {
    name: 'a bundler for another worker runtime',
    conditions: ['worker'],
    module: 'web',
    webOnly: true,
  },
  { name: 'Bun', conditions: ['bun', 'node'], module: 'bun', webOnly: false },
  { name: 'Deno', conditions: ['deno', 'node'], module: 'deno', webOnly: false },
  { name: 'Node.js', conditions: ['node'], module: 'node', webOnly: false },
] as const;

describe('#platform under each runtime\u2019s conditions', () => {
  it.each(RUNTIMES)('$name gets the $module platform', ({ conditions, module }) => {
    expect(platformSource(conditions)).toBe(`${ROOT}src/platform/${module}.ts`);
  });
});

describe('the main entry, bundled for each runtime', () => {
  it.each(RUNTIMES.filter((r) => r.webOnly))(
    '$name: no node: module and no undici, through any module',
    async ({ conditions, module }) => {
      const bundle = await bundleFor({ contents: MAIN, conditions, webOnly: true });
      expect(bundle.inputs).toContain(`src/platform/${module}.ts`);
      expect(bundle.inputs.filter((input) => UNDICI_MODULES.includes(input))).toEqual([]);
      expect(bundle.inputs).not.toContain('src/crypto/fernet-node.ts');
      expect(bundle.inputs).toContain('src/crypto/fernet-web.ts');
    },
  );

  it('Bun: no undici, Fernet on its node:crypto', async () => {
    const bundle = await bundleFor({
      contents: MAIN,
      conditions: ['bun', 'node'],
      webOnly: false,
    });
    expect(bundle.inputs).toContain('src/platform/bun.ts');
    expect(bundle.inputs.filter((input) => UNDICI_MODULES.includes(input))).toEqual([]);
    expect(bundle.inputs).toContain('src/crypto/fernet-node.ts');
  });

  it('the checks fail on the Node.js platform (they are not vacuous)', async () => {
    await expect(
      bundleFor({
        contents: "export * from './src/platform/node.ts';",
        conditions: ['workerd'],
        webOnly: true,
      }),
    ).rejects.toThrow(/refused import of "node:/);
    const node = await bundleFor({ contents: MAIN, conditions: ['node'], webOnly: false });
    expect(node.inputs).toEqual(expect.arrayContaining(UNDICI_MODULES));
  });
});

describe('authnzerver/web, bundled for each web platform', () => {
  it.each(RUNTIMES.filter((r) => r.webOnly))(
    '$name: no node: module and no undici, ipaddr.js inlined',
    async ({ conditions }) => {
      const bundle = await bundleFor({
        contents: "export * from './src/web/index.ts';",
        conditions,
        webOnly: true,
      });
      expect(bundle.inputs).toContain('src/web/ip.ts');
      expect(bundle.inputs).toContain('node_modules/ipaddr.js/lib/ipaddr.js');
      expect(bundle.inputs.filter((input) => UNDICI_MODULES.includes(input))).toEqual([]);
    },
  );
});
