import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { runCli as run } from '../helpers/codegen-cli.js';
import { typeErrors } from '../helpers/compile.js';
import { CATALOGUE, FIXTURE, planted, read, ROOT } from './tools/scaffold-helpers.js';

/**
 * `authnzerver-codegen scaffold` as a command: it adds the entries of a new request type to a catalogue, then the
 * client generated from it compiles and calls a test server; its errors and its help. The entries themselves are
 * scaffold.test.ts's.
 */

// Inside the repository, so the generated code can import the runtime from src/ by a relative path.
const dir = mkdtempSync(join(ROOT, '.tmp-codegen-scaffold-'));
const yaml = join(dir, 'authnzerver.yaml');
const schema = join(dir, 'server-schema.json');
const out = join(dir, 'client');
const runtimeImport = `${relative(out, join(ROOT, 'src'))}/runtime.js`;
let server: ProtocolServer;

describe('authnzerver-codegen scaffold, then generate, then a call through a test server', () => {
  beforeAll(async () => {
    writeFileSync(yaml, read(CATALOGUE));
    writeFileSync(schema, JSON.stringify(planted()));
    server = await startProtocolServer({
      handler: (request) => {
        if (request.type !== 'user-frobnicate') return { httpStatus: 400 };
        const body = request.body as { user_id: number; times?: number };
        return body.user_id === 1
          ? { success: true, messages: ['Frobnicated.'], frobs: body.times ?? 1 }
          : { success: false, messages: ['No.'], failure_reason: 'no such user', frobs: 0 };
      },
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('printing and appending the entries', printAndAppend);
  describe('the client generated from them', generatedClient);
  describe('errors and help', errorsAndHelp);
});

function printAndAppend(): void {
  it('--print changes nothing and prints the entries', async () => {
    const printed = await run(
      'scaffold',
      '--server-schema',
      schema,
      '--catalogue',
      yaml,
      '--missing',
      '--print',
    );
    expect(printed.code, printed.err).toBe(0);
    expect(printed.out).toMatch(/^ {2}user-frobnicate:\n/);
    expect(printed.out).toContain('    success: unknown\n');
    expect(read(relative(ROOT, yaml))).toBe(read(CATALOGUE));
  });

  it('appends the entries to the catalogue, leaving the rest of it as it was', async () => {
    const scaffolded = await run(
      'scaffold',
      '--server-schema',
      schema,
      '--catalogue',
      yaml,
      '--type',
      'user-frobnicate',
    );
    expect(scaffolded.code, scaffolded.err).toBe(0);
    expect(scaffolded.out).toContain('scaffolded user-frobnicate from');
    const text = readFileSync(yaml, 'utf8');
    expect(text.startsWith(read(CATALOGUE))).toBe(true);
    expect(text.slice(read(CATALOGUE).length)).toMatch(/^ {2}user-frobnicate:\n/);

    const drift = await run('drift', '--server-schema', schema, '--catalogue', yaml);
    expect(drift.code, drift.out).toBe(0);
    const again = await run(
      'scaffold',
      '--server-schema',
      schema,
      '--catalogue',
      yaml,
      '--missing',
    );
    expect(again).toMatchObject({ code: 0, out: expect.stringContaining('nothing to scaffold') });
  });
}

function generatedClient(): void {
  it('generates a client with the typed method, which compiles', async () => {
    const generated = await run(
      '--catalogue',
      yaml,
      '--out',
      out,
      '--runtime-import',
      runtimeImport,
    );
    expect(generated.code, generated.err).toBe(0);
    const usage = join(dir, 'usage.ts');
    writeFileSync(
      usage,
      `import { Authnzerver } from './client/index.js';
const client = new Authnzerver({ url: 'http://127.0.0.1:1/', secret: '${'A'.repeat(43)}=' });
export async function use(): Promise<unknown> {
  const result = await client.userFrobnicate({ user_id: 1, session_token: 't', client_ipaddr: '127.0.0.1' });
  return result.success ? result.response['frobs'] : null;
}
// @ts-expect-error user_id is an int
void client.userFrobnicate({ user_id: 'one', session_token: 't', client_ipaddr: '127.0.0.1' });
// @ts-expect-error session_token is required
void client.userFrobnicate({ user_id: 1, client_ipaddr: '127.0.0.1' });
`,
    );
    expect(typeErrors([usage])).toEqual([]);
  });

  it('the method works against a test server handler', async () => {
    const { Authnzerver, specs } = (await import(join(out, 'index.ts'))) as {
      Authnzerver: new (options: object) => any;
      specs: any;
    };
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    try {
      const got = await client.userFrobnicate({
        user_id: 1,
        session_token: 'tok',
        times: 3,
        client_ipaddr: '127.0.0.1',
      });
      expect(got.success).toBe(true);
      expect(got.response).toEqual({ frobs: 3 });
      expect(server.received.at(-1)?.envelope).toMatchObject({
        request: 'user-frobnicate',
        body: { user_id: 1, session_token: 'tok', times: 3 },
      });
      const refused = await client.userFrobnicate({
        user_id: 2,
        session_token: 'tok',
        client_ipaddr: '127.0.0.1',
      });
      expect(refused).toMatchObject({
        success: false,
        failure: 'rejected',
        failureReason: expect.anything(),
      });
      await expect(
        client.userFrobnicate({ user_id: 'x', session_token: 't', client_ipaddr: '127.0.0.1' }),
      ).rejects.toThrow(/user_id/);
      expect(specs['user-frobnicate'].secrets.body).toEqual(['session_token']);
      expect(specs['user-frobnicate'].sideEffects).toBe('write');
    } finally {
      await client.close();
    }
  });
}

function errorsAndHelp(): void {
  it.each([
    [['--type', 'user-frobnicat'], 'user-frobnicat: not a request type of'],
    [['--type', 'user-login'], 'user-login: already in'],
    [[], 'give either --type <name> or --missing'],
    [['--type', 'user-frobnicate', '--missing'], 'give either --type <name> or --missing'],
  ])('exits 2 with a clear message: %j', async (argv, message) => {
    const result = await run('scaffold', '--server-schema', schema, '--catalogue', yaml, ...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('exits 2 for a missing schema, a catalogue it cannot add to, and a result that would not load', async () => {
    expect((await run('scaffold', '--type', 'x')).err).toContain('--server-schema is required');
    expect(
      (await run('scaffold', '--server-schema', join(dir, 'nope.json'), '--missing')).err,
    ).toContain('nope.json: no such file (the server schema)');
    const odd = join(dir, 'odd.yaml');
    writeFileSync(
      odd,
      'requests:\n  session-new: { summary: x., sideEffects: write }\nversion: 1\nname: x\n',
    );
    const refused = await run(
      'scaffold',
      '--server-schema',
      schema,
      '--catalogue',
      odd,
      '--missing',
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('requests: is not its last top-level key');

    const clash = JSON.parse(read(FIXTURE));
    clash['call'] = { args: [], kwargs: [] };
    writeFileSync(join(dir, 'clash.json'), JSON.stringify(clash));
    const before = readFileSync(yaml, 'utf8');
    const bad = await run(
      'scaffold',
      '--server-schema',
      join(dir, 'clash.json'),
      '--catalogue',
      yaml,
      '--type',
      'call',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('the scaffolded catalogue would not load, so nothing was written: ');
    expect(bad.err).toContain('requests.call.method: "call" is taken by the client itself');
    expect(readFileSync(yaml, 'utf8')).toBe(before);
  });

  it('has --help', async () => {
    const help = await run('scaffold', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: authnzerver-codegen scaffold --server-schema <file.json>');
  });
}
