import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type Catalogue } from '../../../codegen/generator/catalogue.js';
import { checkDrift } from '../../../codegen/tools/drift.js';
import { generate } from '../../../codegen/generator/generate.js';
import {
  missingTypes,
  requestsSlot,
  ScaffoldError,
  scaffoldEntries,
} from '../../../codegen/tools/scaffold.js';
import { loadServerSchema, type ServerSchema } from '../../../codegen/tools/server-schema.js';
import { startProtocolServer, type ProtocolServer } from '../../../src/testing/protocol-server.js';
import { runCli as run } from '../../helpers/codegen-cli.js';
import { typeErrors } from '../../helpers/compile.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const CATALOGUE = 'schema/authnzerver.yaml';
const FIXTURE = 'test/fixtures/server-schema.json';

/** The committed dump with a new request type planted in it, docs and all (as the server dumps it). */
function planted(docs = true): Record<string, unknown> {
  const server = JSON.parse(read(FIXTURE)) as Record<string, unknown>;
  const doc = (text: string): { doc?: string } => (docs ? { doc: text } : {});
  server['user-frobnicate'] = {
    function: 'authnzerver.actions.user_frobnicate',
    ...doc('Frobnicate a user: once, or as often as asked.'),
    args: [
      { name: 'user_id', type: 'int', ...doc('The user to frobnicate.') },
      { name: 'session_token', type: 'str', ...doc('A session of that user.') },
      { name: 'client_ipaddr', type: 'str', ...doc('Where the request came from.') },
    ],
    kwargs: [
      { name: 'times', type: ['int', 'None'], ...doc('How often, "once" if null.') },
      { name: 'options', type: 'dict' },
    ],
  };
  return server;
}
const catalogueOf = (text: string): Catalogue => loadCatalogue(parse(text), CATALOGUE);
const serverOf = (data: unknown): ServerSchema => loadServerSchema(data, 'server-schema.json');

describe('scaffoldEntries', () => {
  const catalogue = catalogueOf(read(CATALOGUE));

  it('writes the arguments with their types and docs, a secret guess and replies marked unknown', () => {
    expect(scaffoldEntries(catalogue, serverOf(planted()), ['user-frobnicate'])).toBe(
      `  user-frobnicate:
    # Scaffolded from server-schema.json by authnzerver-codegen scaffold. Still to do: the summary in your words,
    # sideEffects (write until you know it only reads: read types are retried), timeout, and the replies:
    # replace "unknown" with their keys (schema/README.md). Then run authnzerver-codegen drift.
    summary: "Frobnicate a user: once, or as often as asked."
    sideEffects: write
    timeout: default
    args:
      user_id:
        type: int
        doc: The user to frobnicate.
      session_token:
        type: str
        doc: A session of that user.
        secret: true # guessed from the name: redacted from logs and hooks
    kwargs:
      times:
        type: int | None
        doc: How often, "once" if null.
      options:
        type: dict
    success: unknown
    failure: unknown
`,
    );
  });

  it('works from a dump without docs, with a summary to replace', () => {
    const text = scaffoldEntries(catalogue, serverOf(planted(false)), ['user-frobnicate'], {
      indent: 4,
    });
    expect(text).toContain(
      "\n        summary: The server's user-frobnicate request (scaffolded; describe it here).\n",
    );
    expect(text).not.toContain('doc:');
    expect(text.startsWith('    user-frobnicate:\n        # Scaffolded')).toBe(true);
    const loaded = loadCatalogue(parse(`version: 1\nname: x\nrequests:\n${text}`), 'x.yaml');
    expect(loaded.requests[0]!.args.map((a) => a.doc)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('gives a type word the catalogue does not know as Any, and says so', () => {
    const server = planted();
    (server['user-frobnicate'] as any).kwargs.push({ name: 'when', type: 'datetime' });
    expect(scaffoldEntries(catalogue, serverOf(server), ['user-frobnicate'])).toContain(
      `      when:
        # The server's type "datetime" has words the catalogue does not know: datetime.
        type: Any
`,
    );
  });

  it('makes a catalogue that loads, generates a typed method and has no drift', () => {
    const server = serverOf(planted());
    expect(missingTypes(catalogue, server)).toEqual(['user-frobnicate']);
    const text = read(CATALOGUE);
    const slot = requestsSlot(text, CATALOGUE);
    const updated = slot.insert(scaffoldEntries(catalogue, server, ['user-frobnicate']));
    expect(updated.startsWith(text)).toBe(true);
    const scaffolded = catalogueOf(updated);
    const request = scaffolded.requests.at(-1)!;
    expect(request).toMatchObject({
      type: 'user-frobnicate',
      method: 'userFrobnicate',
      sideEffects: 'write',
      timeout: 'default',
      success: [],
      failure: [],
      successUnknown: true,
      failureUnknown: true,
    });
    expect(request.args.map((a) => [a.name, a.typeText, a.optional, a.secret])).toEqual([
      ['user_id', 'int', false, false],
      ['session_token', 'str', false, true],
      ['times', 'int | None', true, false],
      ['options', 'dict', true, false],
    ]);
    expect(checkDrift(scaffolded, server).findings).toEqual([]);
    expect(missingTypes(scaffolded, server)).toEqual([]);

    const files = generate(scaffolded, { runtimeImport: '../src/runtime.js', command: 'x' });
    expect(files.get('client.ts')).toMatch(
      /userFrobnicate\(\s*body: T\.UserFrobnicateBody,\s*options\?: CallOptions,?\s*\): Promise<ResponseTuple<T\.UserFrobnicateSuccess, T\.UserFrobnicateFailure>>/,
    );
    const types = files.get('types.ts')!;
    expect(types).toMatch(
      /export interface UserFrobnicateSuccess \{\s*readonly \[key: string\]: unknown;\s*\}/,
    );
    expect(types).toMatch(
      /export interface UserFrobnicateBody \{[^}]*readonly times\?: number \| null \| undefined;/,
    );
    expect(files.get('schemas.ts')).toContain(
      'body: z.strictObject({ user_id: z.int(), session_token: z.string(), times: z.optional(z.nullable(z.int())), options: z.optional(z.record(z.string(), z.unknown())), client_ipaddr: z.string() }) satisfies z.ZodMiniType<T.UserFrobnicateBody>',
    );
  });

  it('refuses a type that is not on the server, or that the catalogue has', () => {
    const server = serverOf(planted());
    expect(() => scaffoldEntries(catalogue, server, ['user-frobnicat'])).toThrow(
      new ScaffoldError('user-frobnicat: not a request type of server-schema.json'),
    );
    expect(() => scaffoldEntries(catalogue, server, ['user-login'])).toThrow(
      `user-login: already in ${CATALOGUE}; scaffold only writes types the catalogue lacks`,
    );
  });
});

describe('requestsSlot: where the entries go', () => {
  const entries = '  b-get:\n    summary: B.\n    sideEffects: read\n';

  it('appends below a block requests: map that ends the file, at its indentation', () => {
    const text =
      'version: 1\nname: x\nrequests:\n    a-get:\n        summary: A.\n        sideEffects: read';
    const slot = requestsSlot(text, 'x.yaml');
    expect(slot.indent).toBe(4);
    expect(slot.insert('    b-get: {}\n')).toBe(`${text}\n    b-get: {}\n`);
  });

  it.each([
    ['version: 1\nname: x\nrequests: {}\n'],
    ['version: 1\nname: x\nrequests: {} # none yet\n'],
    ['version: 1\nname: x\nrequests:\n'],
    ['version: 1\nname: x\nrequests:'],
  ])('fills an empty requests: %j', (text) => {
    const slot = requestsSlot(text, 'x.yaml');
    expect(slot.indent).toBe(2);
    const updated = slot.insert(entries);
    expect(updated).toBe(`version: 1\nname: x\nrequests:\n${entries}`);
    expect(loadCatalogue(parse(updated), 'x.yaml').requests).toHaveLength(1);
  });

  it.each([
    ['requests:\n  a-get: {}\nname: x\n', 'requests: is not its last top-level key'],
    ['name: x\n', 'it has no requests: key'],
    ['- a\n', 'it is not a YAML mapping'],
    ['name: x\nrequests: { a-get: {} }\n', 'its requests: is not a block mapping'],
  ])('refuses %j', (text, why) => {
    expect(() => requestsSlot(text, 'x.yaml')).toThrow(
      `x.yaml: ${why}, so scaffold cannot add entries to it; use --print and paste them under requests:`,
    );
  });
});

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
