import { spawnSync } from 'node:child_process';
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
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_PEERS_MESSAGE } from '../../codegen/cli.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { runCli } from '../helpers/codegen-cli.js';
import { typeErrors } from '../helpers/compile.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CATALOGUE = `version: 1
name: shop
description: A shop's own request types, on a server that adds them.
requests:
  cart-get:
    summary: Read a cart.
    sideEffects: read
    args:
      cart_id: { type: int, doc: Which cart. }
    success:
      items: { type: 'list[str]', doc: What is in it. }
    failure:
      items: { type: None, doc: Null. }
  cart-clear:
    summary: Empty a cart.
    sideEffects: write
    args:
      cart_id: { type: int, doc: Which cart. }
      password: { type: str, secret: true, doc: The owner's password. }
    success: {}
    failure: {}
`;

const run = runCli;

// Inside the repository, so the generated code can import the runtime from src/ by a relative path.
const dir = mkdtempSync(join(ROOT, '.tmp-codegen-'));
const yaml = join(dir, 'shop.yaml');
const out = join(dir, 'client');
const runtimeImport = `${relative(out, join(ROOT, 'src'))}/runtime.js`;
let server: ProtocolServer;

describe('authnzerver-codegen on a custom catalogue', () => {
  beforeAll(async () => {
    writeFileSync(yaml, CATALOGUE);
    server = await startProtocolServer({
      handler: (request) => {
        if (request.type === 'cart-get')
          return { success: true, messages: ['Here it is.'], items: ['apple'] };
        if (request.type === 'cart-clear')
          return { success: false, messages: ['Wrong password.'], failure_reason: 'no' };
        return { httpStatus: 400 };
      },
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('writing and checking', writeAndCheck);
  describe('the client it makes', theClient);
  describe('errors and help', errorsAndHelp);
});

function writeAndCheck(): void {
  it('writes the client, and --check then finds it up to date', async () => {
    const written = await run('--catalogue', yaml, '--out', out, '--runtime-import', runtimeImport);
    expect(written.code, written.err).toBe(0);
    expect(written.out).toContain('5 written');
    expect(existsSync(join(out, 'client.ts'))).toBe(true);
    expect(readFileSync(join(out, 'client.ts'), 'utf8')).toContain(
      'export class Shop extends AuthnzerverClient<T.ShopRequests>',
    );

    const check = await run(
      '--catalogue',
      yaml,
      '--out',
      out,
      '--runtime-import',
      runtimeImport,
      '--check',
    );
    expect(check.code, check.err).toBe(0);
    const again = await run('--catalogue', yaml, '--out', out, '--runtime-import', runtimeImport);
    expect(again.out).toContain('0 written, 0 removed, 5 unchanged');
  });

  it('--check fails on a stale folder, and names the files', async () => {
    writeFileSync(yaml, CATALOGUE.replace('Read a cart.', 'Read a whole cart.'));
    const check = await run(
      '--catalogue',
      yaml,
      '--out',
      out,
      '--runtime-import',
      runtimeImport,
      '--check',
    );
    expect(check.code).toBe(1);
    expect(check.err).toContain('is stale');
    expect(check.err).toContain('changed: client.ts');
    writeFileSync(
      join(out, 'old.ts'),
      '// Generated from shop.yaml by authnzerver-codegen. Do not edit.\n',
    );
    const orphan = await run(
      '--catalogue',
      yaml,
      '--out',
      out,
      '--runtime-import',
      runtimeImport,
      '--check',
    );
    expect(orphan.err).toContain('no longer generated: old.ts');
    const fixed = await run('--catalogue', yaml, '--out', out, '--runtime-import', runtimeImport);
    expect(fixed.out).toContain('1 removed');
    expect(existsSync(join(out, 'old.ts'))).toBe(false);
  });
}

function theClient(): void {
  it('the client it makes compiles, with its methods typed', () => {
    const usage = join(dir, 'usage.ts');
    writeFileSync(
      usage,
      `import { Shop } from './client/index.js';
const shop = new Shop({ url: 'http://127.0.0.1:1/', secret: '${'A'.repeat(43)}=' });
export async function use(): Promise<string[] | null> {
  const result = await shop.cartGet({ cart_id: 1, client_ipaddr: '127.0.0.1' });
  return result.success ? result.response.items : null;
}
// @ts-expect-error cart_id is an int
void shop.cartGet({ cart_id: 'one', client_ipaddr: '127.0.0.1' });
`,
    );
    expect(typeErrors([usage])).toEqual([]);
  });

  it('the client it makes works against the test server, with validation and secrets from the catalogue', async () => {
    const { Shop, specs } = (await import(join(out, 'index.ts'))) as {
      Shop: new (options: object) => any;
      specs: any;
    };
    const shop = new Shop({ url: server.url, secret: server.secret });
    const got = await shop.cartGet({ cart_id: 7, client_ipaddr: '127.0.0.1' });
    expect(got.success).toBe(true);
    expect(got.response).toEqual({ items: ['apple'] });
    expect(server.received.at(-1)?.envelope).toMatchObject({
      request: 'cart-get',
      body: { cart_id: 7 },
    });
    const cleared = await shop.cartClear({
      cart_id: 7,
      password: 'pw',
      client_ipaddr: '127.0.0.1',
    });
    expect(cleared.failure).toBe('rejected');
    await expect(shop.cartGet({ cart_id: 'x', client_ipaddr: '127.0.0.1' })).rejects.toThrow(
      /cart_id/,
    );
    expect(specs['cart-clear'].secrets.body).toEqual(['password']);
    await shop.close();
  });
}

function errorsAndHelp(): void {
  it('reports catalogue errors with the file and the path, and exits 2', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      CATALOGUE.replace('type: int, doc: Which cart.', 'type: integer, doc: Which cart.'),
    );
    const result = await run('--catalogue', bad, '--out', join(dir, 'bad'));
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'bad.yaml: requests.cart-get.args.cart_id.type: unknown type "integer"',
    );
    writeFileSync(bad, 'requests: [unclosed');
    expect((await run('--catalogue', bad, '--out', join(dir, 'bad'))).err).toContain(
      'not valid YAML',
    );
    expect((await run('--catalogue', join(dir, 'missing.yaml'), '--out', out)).code).toBe(2);
  });

  it('prints a name clash as its message alone, with no stack trace, and exits 2', async () => {
    // A named type that takes the name of cart-get's generated body: the generator, not the loader, finds it.
    const clash = join(dir, 'clash.yaml');
    writeFileSync(clash, `${CATALOGUE}types:\n  CartGetBody:\n    fields: { cart_id: int }\n`);
    const result = await run('--catalogue', clash, '--out', join(dir, 'clash'));
    expect(result).toEqual({
      code: 2,
      out: '',
      err: `${relative(process.cwd(), clash)}: types.CartGetBody: clashes with a generated name of cart-get\n`,
    });
    expect(existsSync(join(dir, 'clash'))).toBe(false);
  });

  it('has --help, and refuses unknown options', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: authnzerver-codegen --catalogue <file.yaml> --out <dir>');
    expect((await run('--frobnicate')).code).toBe(2);
    expect((await run('--out', out)).err).toContain('--catalogue and --out are required');
  });
}

describe('authnzerver-codegen without its optional peer dependencies', () => {
  it('asks for ts-morph, prettier and yaml by name', () => {
    const built = join(ROOT, 'dist', 'codegen');
    expect(existsSync(join(built, 'bin.js')), 'run npm run build first (npm test does)').toBe(true);
    // A folder outside the repository, with none of its node_modules in reach.
    const lonely = mkdtempSync(join(tmpdir(), 'authnzerver-codegen-'));
    try {
      mkdirSync(join(lonely, 'codegen'));
      // bin.js, cli.js and errors.js alone: cli.js loads everything else on demand.
      for (const name of ['bin.js', 'cli.js', 'errors.js'])
        cpSync(join(built, name), join(lonely, 'codegen', name));
      writeFileSync(join(lonely, 'package.json'), '{"type":"module"}');
      const result = spawnSync(
        process.execPath,
        [join(lonely, 'codegen', 'bin.js'), '--catalogue', 'x.yaml', '--out', 'x'],
        {
          cwd: lonely,
          encoding: 'utf8',
        },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('missing: ts-morph, prettier, yaml');
      expect(result.stderr).toContain(MISSING_PEERS_MESSAGE);
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });
});
