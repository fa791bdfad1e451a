import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
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
import { CATALOGUE, planted, read } from './scaffold-helpers.js';

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
