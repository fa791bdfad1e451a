import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CatalogueError,
  loadCatalogue,
  type Catalogue,
} from '../../../codegen/generator/catalogue.js';
import {
  checkDrift,
  formatDrift,
  isSubsetOfServer,
  type DriftReport,
  type Finding,
} from '../../../codegen/tools/drift.js';
import {
  loadServerSchema,
  parseServerSchema,
  ServerSchemaError,
} from '../../../codegen/tools/server-schema.js';
import { parseType } from '../../../codegen/generator/types.js';
import { runCli, type CliRun } from '../../helpers/codegen-cli.js';

const read = (path: string): string =>
  readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const CATALOGUE = 'schema/authnzerver.yaml';
const FIXTURE = 'test/fixtures/server-schema.json';

interface Arg {
  name: string;
  type: string | string[];
  doc?: string;
}
interface Entry {
  args: Arg[];
  kwargs: Arg[];
  doc?: string;
  function?: string;
}
type Dump = Record<string, Entry>;

/** A fresh copy of the committed dump, to plant changes in. */
const dump = (): Dump => JSON.parse(read(FIXTURE)) as Dump;
const ours = (): Record<string, any> => parse(read(CATALOGUE)) as Record<string, any>;
const catalogue = (data: unknown = ours()): Catalogue => loadCatalogue(data, CATALOGUE);
const drift = (server: Dump, cat: Catalogue = catalogue()): DriftReport =>
  checkDrift(cat, loadServerSchema(server, 'server-schema.json'));
/** The findings without their messages, for exact comparisons. */
const facts = (report: DriftReport): Omit<Finding, 'message'>[] =>
  report.findings.map(({ message: _message, ...rest }) => rest);

const arg = (server: Dump, type: string, name: string): Arg => {
  const entry = server[type]!;
  const found = [...entry.args, ...entry.kwargs].find((a) => a.name === name);
  if (found === undefined) throw new Error(`${type}.${name} is not in the dump`);
  return found;
};

describe('the committed server schema (test/fixtures/server-schema.json)', () => {
  it('is the revision the catalogue describes, with no doc sentences and no function paths', () => {
    const revision = /server git ([0-9a-f]{7,40})/.exec(read(CATALOGUE).split('\n')[0]!)?.[1];
    expect(revision).toBeDefined();
    expect(read('test/fixtures/server-schema.md')).toContain(`at git \`${revision}\``);
    const text = read(FIXTURE);
    expect(text).not.toMatch(/"(doc|function)"/);
    const server = loadServerSchema(JSON.parse(text), FIXTURE);
    expect(server.requests).toHaveLength(38);
    expect(server.requests.every((r) => r.doc === undefined && r.args.every((a) => !a.doc))).toBe(
      true,
    );
  });

  it('has zero drift against the catalogue, every refinement recorded and a subset', () => {
    const report = drift(dump());
    expect(report.findings).toEqual([]);
    expect(report.inSync).toBe(true);
    expect(report.counts).toEqual({
      serverTypes: 38,
      catalogueTypes: 38,
      compared: 38,
      args: 158,
      refinements: 9,
    });
    expect(formatDrift(report, CATALOGUE, FIXTURE)).toBe(
      `${CATALOGUE} agrees with ${FIXTURE}: 38 request types, 158 arguments, 9 recorded refinements.\n`,
    );
  });

  it('has no drift only because of the recorded refinements: without them there are nine findings', () => {
    const data = ours();
    for (const entry of Object.values<any>(data.requests))
      for (const group of [entry.args, entry.kwargs])
        for (const field of Object.values<any>(group ?? {})) delete field.refines;
    const report = drift(dump(), catalogue(data));
    expect(report.findings.map((f) => `${f.kind} ${f.type}.${f.arg}`)).toEqual([
      'arg-type user-lock.action',
      'arg-type user-set-emailsent.email_type',
      'arg-type apikey-verify.apikey_dict',
      'arg-type apikey-revoke.apikey_dict',
      'arg-type apikey-verify-nosession.apikey_dict',
      'arg-type apikey-revoke-nosession.apikey_dict',
      'arg-type apikey-revokeall-nosession.apikey_dict',
      'arg-type apikey-refresh-nosession.apikey_dict',
      'arg-type internal-user-lock.action',
    ]);
    expect(report.findings[0]!.message).toBe(
      "argument action: the catalogue says 'lock' | 'unlock', the server says str (the catalogue is narrower: if that is deliberate, record it with refines and a reason)",
    );
  });

  it('accepts a dump with docs and function paths (as the server dumps it) the same as one without', () => {
    const full = dump();
    for (const [type, entry] of Object.entries(full)) {
      entry.doc = `What ${type} does.`;
      entry.function = `authnzerver.actions.${type.replace(/-/g, '_')}`;
      for (const a of [...entry.args, ...entry.kwargs]) a.doc = `The ${a.name}.`;
    }
    const server = loadServerSchema(full, 'with-docs.json');
    expect(server.requests[0]!.doc).toBe('What session-new does.');
    expect(server.requests[0]!.args[0]!.doc).toBe('The ip_address.');
    expect(drift(full).findings).toEqual([]);
  });
});

describe('planted changes are each reported exactly, with nothing else', () => {
  type Plant = (server: Dump) => void;
  const cases: [string, Plant, Omit<Finding, 'message'>[], string][] = [
    [
      'a type added on the server',
      (s) => {
        s['user-frobnicate'] = {
          args: [{ name: 'user_id', type: 'int' }],
          kwargs: [{ name: 'times', type: ['int', 'None'] }],
        };
      },
      [{ kind: 'type-not-in-catalogue', type: 'user-frobnicate', server: { args: 1, kwargs: 1 } }],
      'on the server (1 required argument in args, 1 in kwargs) but not in the catalogue',
    ],
    [
      'a type removed from the server',
      (s) => {
        delete s['user-lookup-match'];
      },
      [{ kind: 'type-not-on-server', type: 'user-lookup-match' }],
      'in the catalogue but not on the server',
    ],
    [
      'a required argument added',
      (s) => {
        s['user-login']!.args.push({ name: 'otp', type: 'str' });
      },
      [
        {
          kind: 'arg-not-in-catalogue',
          type: 'user-login',
          arg: 'otp',
          server: { required: true, type: 'str' },
        },
      ],
      'argument otp: on the server (required, str) but not in the catalogue',
    ],
    [
      'an optional argument added',
      (s) => {
        s['user-new']!.kwargs.push({ name: 'locale', type: ['str', 'None'] });
      },
      [
        {
          kind: 'arg-not-in-catalogue',
          type: 'user-new',
          arg: 'locale',
          server: { required: false, type: 'str | None' },
        },
      ],
      'argument locale: on the server (optional, str | None) but not in the catalogue',
    ],
    [
      'a required argument removed',
      (s) => {
        s['session-new']!.args = s['session-new']!.args.filter((a) => a.name !== 'user_agent');
      },
      [
        {
          kind: 'arg-not-on-server',
          type: 'session-new',
          arg: 'user_agent',
          catalogue: { required: true, type: 'str' },
        },
      ],
      'argument user_agent: in the catalogue (required, str) but not on the server',
    ],
    [
      'an optional argument removed',
      (s) => {
        s['user-validatepass']!.kwargs.pop();
      },
      [
        {
          kind: 'arg-not-on-server',
          type: 'user-validatepass',
          arg: 'min_pwned_matches',
          catalogue: { required: false, type: 'int' },
        },
      ],
      'argument min_pwned_matches: in the catalogue (optional, int) but not on the server',
    ],
    [
      'a required argument made optional',
      (s) => {
        const entry = s['user-delete']!;
        entry.kwargs.push(entry.args.find((a) => a.name === 'password')!);
        entry.args = entry.args.filter((a) => a.name !== 'password');
      },
      [
        {
          kind: 'arg-moved',
          type: 'user-delete',
          arg: 'password',
          server: { required: false },
          catalogue: { required: true },
        },
      ],
      'argument password: required in the catalogue (args) but optional on the server (kwargs)',
    ],
    [
      'an optional argument made required',
      (s) => {
        const entry = s['user-new']!;
        entry.args.push(entry.kwargs.find((a) => a.name === 'system_id')!);
        entry.kwargs = entry.kwargs.filter((a) => a.name !== 'system_id');
      },
      [
        {
          kind: 'arg-moved',
          type: 'user-new',
          arg: 'system_id',
          server: { required: true },
          catalogue: { required: false },
        },
      ],
      'argument system_id: optional in the catalogue (kwargs) but required on the server (args)',
    ],
    [
      'a type word changed',
      (s) => {
        arg(s, 'user-logout', 'user_id').type = 'str';
      },
      [
        {
          kind: 'arg-type',
          type: 'user-logout',
          arg: 'user_id',
          server: { type: 'str' },
          catalogue: { type: 'int' },
        },
      ],
      'argument user_id: the catalogue says int, the server says str',
    ],
    [
      'a union narrowed on the server',
      (s) => {
        arg(s, 'session-new', 'user_id').type = 'int';
      },
      [
        {
          kind: 'arg-type',
          type: 'session-new',
          arg: 'user_id',
          server: { type: 'int' },
          catalogue: { type: 'int | None' },
        },
      ],
      'argument user_id: the catalogue says int | None, the server says int',
    ],
    [
      'a type widened on the server',
      (s) => {
        arg(s, 'user-passcheck', 'password').type = ['str', 'None'];
      },
      [
        {
          kind: 'arg-type',
          type: 'user-passcheck',
          arg: 'password',
          server: { type: 'str | None' },
          catalogue: { type: 'str' },
        },
      ],
      'argument password: the catalogue says str, the server says str | None (the catalogue is narrower: if that is deliberate, record it with refines and a reason)',
    ],
    [
      'a refined type changed so that the refinement is no longer a subset',
      (s) => {
        arg(s, 'user-lock', 'action').type = 'int';
      },
      [
        {
          kind: 'refinement-not-subset',
          type: 'user-lock',
          arg: 'action',
          server: { type: 'int' },
          catalogue: { type: "'lock' | 'unlock'", refines: 'str' },
        },
      ],
      "argument action: the catalogue's refinement 'lock' | 'unlock' is not a subset of the server's int (the refinement was recorded against str)",
    ],
    [
      'a refined type changed in a way the refinement still fits',
      (s) => {
        arg(s, 'apikey-verify', 'apikey_dict').type = ['dict', 'None'];
      },
      [
        {
          kind: 'refinement-stale',
          type: 'apikey-verify',
          arg: 'apikey_dict',
          server: { type: 'dict | None' },
          catalogue: { type: 'ApiKeyPayload', refines: 'dict' },
        },
      ],
      "argument apikey_dict: the server's type is now dict | None (the refinement was recorded against dict); review the refinement and its reason",
    ],
  ];

  it.each(cases)('%s', (_, plant, expected, message) => {
    const server = dump();
    plant(server);
    const report = drift(server);
    expect(facts(report)).toEqual(expected);
    expect(report.findings[0]!.message).toBe(message);
    expect(report.inSync).toBe(false);
  });

  it('all of them at once: every one reported, in the server order, and nothing else', () => {
    const server = dump();
    for (const [, plant] of cases) plant(server);
    const report = drift(server);
    expect(report.findings).toHaveLength(cases.length);
    const seen = report.findings.map((f) => `${f.kind} ${f.type} ${f.arg ?? ''}`).sort();
    const wanted = cases.flatMap(([, , e]) => e.map((f) => `${f.kind} ${f.type} ${f.arg ?? ''}`));
    expect(seen).toEqual(wanted.sort());
    const text = formatDrift(report, CATALOGUE, 'planted.json');
    expect(text.split('\n')[0]).toBe(
      `${CATALOGUE} has drifted from planted.json: ${cases.length} findings in 11 request types.`,
    );
    for (const finding of report.findings) expect(text).toContain(`\n  ${finding.message}\n`);
  });

  it('an argument both moved and retyped is two findings', () => {
    const server = dump();
    const entry = server['user-logout']!;
    entry.kwargs.push({ name: 'user_id', type: 'str' });
    entry.args = entry.args.filter((a) => a.name !== 'user_id');
    expect(facts(drift(server)).map((f) => f.kind)).toEqual(['arg-moved', 'arg-type']);
  });

  it('is not drift: the order of arguments, of types, of words in a union; docs', () => {
    const server = dump();
    server['session-new']!.args.reverse();
    arg(server, 'session-new', 'user_id').type = ['None', 'int', 'int'];
    arg(server, 'apikey-new', 'not_valid_before').type = ['int', 'float'];
    const reordered = Object.fromEntries(Object.entries(server).reverse());
    expect(drift(reordered).findings).toEqual([]);
  });

  it("datetime (session-new's expires) is the server's str: no refinement needed, and drift against other words", () => {
    expect(
      catalogue()
        .requests.find((r) => r.type === 'session-new')!
        .args.find((a) => a.name === 'expires')!.typeText,
    ).toBe('datetime');
    expect(arg(dump(), 'session-new', 'expires').type).toBe('str');
    const server = dump();
    arg(server, 'session-new', 'expires').type = ['str', 'None'];
    expect(facts(drift(server))).toEqual([
      {
        kind: 'arg-type',
        type: 'session-new',
        arg: 'expires',
        server: { type: 'str | None' },
        catalogue: { type: 'datetime' },
      },
    ]);
    arg(server, 'session-new', 'expires').type = 'int';
    expect(facts(drift(server)).map((f) => f.kind)).toEqual(['arg-type']);
  });

  it('client_ipaddr, which every generated body has, agrees when the server lists it as a str', () => {
    const server = dump();
    server['user-login']!.args.push({ name: 'client_ipaddr', type: 'str' });
    server['user-logout']!.kwargs.push({ name: 'client_ipaddr', type: ['str', 'None'] });
    expect(drift(server).findings).toEqual([]);
    server['user-passcheck']!.args.push({ name: 'client_ipaddr', type: 'int' });
    expect(facts(drift(server))).toEqual([
      {
        kind: 'arg-type',
        type: 'user-passcheck',
        arg: 'client_ipaddr',
        server: { type: 'int' },
        catalogue: { type: 'str' },
      },
    ]);
  });
});

describe('refinements in the catalogue', () => {
  const mini = (field: Record<string, unknown>): unknown => ({
    version: 1,
    name: 'mini',
    requests: {
      'thing-set': { summary: 'Set a thing.', sideEffects: 'write', args: { mode: field } },
    },
  });
  const server = (type: string | string[]): Dump => ({
    'thing-set': { args: [{ name: 'mode', type }], kwargs: [] },
  });
  const errorOf = (data: unknown): string => {
    try {
      loadCatalogue(data, 'my.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogueError);
      return (error as Error).message;
    }
    throw new Error('expected a CatalogueError');
  };

  it.each([
    [
      { type: "'a' | 'b'", refines: { server: 'str' } },
      "my.yaml: requests.thing-set.args.mode.refines.reason: a refinement needs its reason: say why the catalogue's type is narrower than the server's",
    ],
    [
      { type: "'a' | 'b'", refines: { server: 'str', reason: '  ' } },
      'my.yaml: requests.thing-set.args.mode.refines.reason: a refinement needs its reason',
    ],
    [
      { type: "'a' | 'b'", refines: { reason: 'Only two modes.' } },
      'my.yaml: requests.thing-set.args.mode.refines.server: ',
    ],
    [
      { type: "'a'", refines: { server: "'a' | 'b'", reason: 'x' } },
      `my.yaml: requests.thing-set.args.mode.refines.server: "'a' | 'b'" is not in the server's type words`,
    ],
    [
      { type: "'a'", refines: { server: 'string', reason: 'x' } },
      'my.yaml: requests.thing-set.args.mode.refines.server: unknown type "string"',
    ],
    [
      { type: 'int | None', refines: { server: 'None | int', reason: 'x' } },
      'my.yaml: requests.thing-set.args.mode.refines.server: is the argument\'s own type "int | None": there is nothing to refine',
    ],
    [
      { type: 'int', refines: { server: 'int', reason: 'x', extra: 1 } },
      'my.yaml: requests.thing-set.args.mode.refines: Unrecognized key: "extra"',
    ],
  ])('%#: rejects %j', (field, message) => {
    expect(errorOf(mini(field))).toContain(message);
  });

  it('keeps the refinement on the field', () => {
    const cat = loadCatalogue(
      mini({ type: "'a' | 'b'", refines: { server: 'str', reason: 'Only two modes.' } }),
      'my.yaml',
    );
    const field = cat.requests[0]!.args[0]!;
    expect(field.refines).toEqual({
      server: { kind: 'primitive', name: 'str' },
      serverText: 'str',
      reason: 'Only two modes.',
    });
  });

  it('a recorded refinement that is not a subset of the server type is drift', () => {
    const cat = loadCatalogue(
      mini({ type: 'float', refines: { server: 'int', reason: 'We send fractions.' } }),
      'my.yaml',
    );
    expect(facts(checkDrift(cat, loadServerSchema(server('int'), 's.json')))).toEqual([
      {
        kind: 'refinement-not-subset',
        type: 'thing-set',
        arg: 'mode',
        server: { type: 'int' },
        catalogue: { type: 'float', refines: 'int' },
      },
    ]);
  });

  it('a refinement that the server has caught up with is stale', () => {
    const cat = loadCatalogue(
      mini({ type: 'int', refines: { server: 'int | None', reason: 'Never null.' } }),
      'my.yaml',
    );
    const report = checkDrift(cat, loadServerSchema(server('int'), 's.json'));
    expect(report.findings.map((f) => f.kind)).toEqual(['refinement-stale']);
    expect(report.findings[0]!.message).toContain("it is the catalogue's own type");
    expect(checkDrift(cat, loadServerSchema(server(['int', 'None']), 's.json')).inSync).toBe(true);
  });
});

describe('subset: a catalogue type inside the server type words', () => {
  it.each([
    ["'lock' | 'unlock'", ['str'], true],
    ["'lock'", ['Any'], true],
    ['ApiKeyPayload', ['dict'], true],
    ['ApiKeyPayload | None', ['dict', 'None'], true],
    ['ApiKeyPayload | None', ['dict'], false],
    ['json[ApiKeyPayload]', ['str'], true],
    ['list[str]', ['list'], true],
    ['list[str]', ['str'], false],
    ['int', ['int', 'None'], true],
    ['int | None', ['int'], false],
    ['str', ['str', 'None'], true],
    ['bool', ['int'], true], // a Python bool is an int
    ['int', ['bool'], false],
    ['int', ['float'], false], // the server's float takes only numbers with a fraction
    ['float', ['float'], false], // the client may send 2
    ['float', ['float', 'int'], true],
    ['float | int', ['int', 'float'], true],
    ['int', ['Any'], true],
    ['None', ['Any'], false],
    ['Any', ['str', 'int', 'float', 'bool', 'dict', 'list'], true],
    ['Any', ['str', 'int', 'dict', 'list'], false],
    ['dict', ['list'], false],
    ['str', ['datetime'], false], // a word the server's validator does not know accepts nothing
    ['datetime', ['str'], true], // a Date is sent as the server's datetime string
    ['datetime | None', ['str'], false],
    ['datetime | None', ['str', 'None'], true],
  ] as const)('%s ⊂ %j: %s', (type, words, subset) => {
    expect(isSubsetOfServer(parseType(type), words)).toBe(subset);
  });
});

describe('a file that is not a SCHEMA', () => {
  it.each([
    [[], 'the top level is a list, not an object'],
    [null, 'the top level is null, not an object'],
    [{}, 'it has no request types'],
    [{ 'user-login': 'str' }, '"user-login": is a string, not an object with args and kwargs'],
    [{ 'user-login': { args: [] } }, '"user-login": has no kwargs list'],
    [{ 'user-login': { args: {}, kwargs: [] } }, '"user-login".args: is an object, not a list'],
    [{ x: { args: ['email'], kwargs: [] } }, '"x".args[0]: is a string, not an object'],
    [{ x: { args: [{ type: 'str' }], kwargs: [] } }, '"x".args[0].name: must be a non-empty'],
    [{ x: { args: [{ name: 'a' }], kwargs: [] } }, '"x".args[0].type: must be a type word'],
    [{ x: { args: [{ name: 'a', type: [] }], kwargs: [] } }, '"x".args[0].type: must be a type'],
    [{ x: { args: [{ name: 'a', type: [1] }], kwargs: [] } }, '"x".args[0].type: must be a type'],
    [
      { x: { args: [{ name: 'a', type: 'str', doc: 3 }], kwargs: [] } },
      '"x".args[0].doc: is a number, not a string',
    ],
    [
      { x: { args: [{ name: 'a', type: 'str' }], kwargs: [{ name: 'a', type: 'int' }] } },
      '"x".kwargs[0].name: "a" is listed twice',
    ],
  ])('%#: %j', (data, message) => {
    expect(() => loadServerSchema(data, 's.json')).toThrow(ServerSchemaError);
    expect(() => loadServerSchema(data, 's.json')).toThrow(
      `s.json: not an authnzerver SCHEMA (a JSON object of request types, each with args and kwargs): ${message}`,
    );
  });

  it('says when a file is not JSON at all', () => {
    expect(() => parseServerSchema('version: 1\n', 's.yaml')).toThrow(
      /^s\.yaml: not JSON \(.+\); expected the JSON dump of authnzerver's apischema\.SCHEMA$/,
    );
  });
});

describe('authnzerver-codegen drift', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authnzerver-drift-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (...argv: string[]): Promise<CliRun> => runCli('drift', ...argv);

  it('exits 0 in sync, against the package catalogue by default', async () => {
    const result = await run('--server-schema', FIXTURE);
    expect(result).toEqual({
      code: 0,
      out: `${CATALOGUE} agrees with ${FIXTURE}: 38 request types, 158 arguments, 9 recorded refinements.\n`,
      err: '',
    });
    expect((await run('--server-schema', FIXTURE, '--catalogue', CATALOGUE)).code).toBe(0);
  });

  it('exits 1 on drift, with a report for people, and a hint to scaffold the missing types', async () => {
    const server = dump();
    server['user-frobnicate'] = { args: [{ name: 'user_id', type: 'int' }], kwargs: [] };
    arg(server, 'user-logout', 'user_id').type = 'str';
    const path = file('planted.json', JSON.stringify(server));
    const result = await run('--server-schema', path);
    expect(result.code).toBe(1);
    expect(result.err).toBe('');
    expect(result.out).toContain('has drifted from');
    expect(result.out).toContain(': 2 findings in 2 request types.\n');
    expect(result.out).toContain(
      '\nuser-logout\n  argument user_id: the catalogue says int, the server says str\n',
    );
    expect(result.out).toContain(
      '\nuser-frobnicate\n  on the server (1 required argument in args, 0 in kwargs) but not in the catalogue\n',
    );
    expect(result.out).toMatch(
      /authnzerver-codegen scaffold --server-schema .*planted\.json --missing/,
    );
  });

  it('--json prints the report for tools', async () => {
    const server = dump();
    delete server['user-lookup-match'];
    const result = await run(
      '--server-schema',
      file('removed.json', JSON.stringify(server)),
      '--json',
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({
      inSync: false,
      catalogue: CATALOGUE,
      counts: { serverTypes: 37, catalogueTypes: 38, compared: 37, refinements: 9 },
      findings: [
        {
          kind: 'type-not-on-server',
          type: 'user-lookup-match',
          message: 'in the catalogue but not on the server',
        },
      ],
    });
    expect(report.serverSchema).toMatch(/removed\.json$/);
    const same = JSON.parse((await run('--server-schema', FIXTURE, '--json')).out);
    expect(same).toMatchObject({ inSync: true, findings: [], serverSchema: FIXTURE });
  });

  it.each([
    [
      ['--server-schema', 'nope/server-schema.json'],
      'nope/server-schema.json: no such file (the server schema)\n',
    ],
    [['--server-schema', 'test/fixtures'], 'test/fixtures: is a folder, not the server schema\n'],
    [['--server-schema', CATALOGUE], `${CATALOGUE}: not JSON (`],
    [
      ['--server-schema', 'package.json'],
      'package.json: not an authnzerver SCHEMA (a JSON object of request types, each with args and kwargs): "name": is a string',
    ],
    [
      ['--server-schema', FIXTURE, '--catalogue', 'nope.yaml'],
      'nope.yaml: no such file (the catalogue)\n',
    ],
    [['--server-schema', FIXTURE, '--catalogue', FIXTURE], `${FIXTURE}: version: `],
    [[], '--server-schema is required'],
    [['--server-schema'], "Option '--server-schema <value>' argument missing"],
    [['--server-schema', FIXTURE, '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('exits 2 with a clear message: %j', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(message);
  });

  it('has --help, and the main usage names it', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: authnzerver-codegen drift --server-schema <file.json>');
    expect(help.out).toContain('Exit status: 0 in sync, 1 drift, 2 a usage or input error');
    const { out } = await runCli('--help');
    expect(out).toContain('authnzerver-codegen drift --server-schema');
    expect(out).toContain('authnzerver-codegen scaffold --server-schema');
  });
});

describe('authnzerver-codegen drift without the optional yaml peer dependency', () => {
  it('asks for it by name', () => {
    // bin.ts and cli.ts alone (cli.ts loads everything else on demand), outside the repository's node_modules.
    const lonely = mkdtempSync(join(tmpdir(), 'authnzerver-codegen-'));
    try {
      mkdirSync(join(lonely, 'codegen'));
      for (const name of ['bin', 'cli']) {
        const { outputText } = ts.transpileModule(read(`codegen/${name}.ts`), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        });
        writeFileSync(join(lonely, 'codegen', `${name}.js`), outputText);
      }
      writeFileSync(join(lonely, 'package.json'), '{"type":"module"}');
      for (const command of ['drift', 'scaffold']) {
        const result = spawnSync(
          process.execPath,
          [join(lonely, 'codegen', 'bin.js'), command, '--server-schema', 'x.json'],
          { cwd: lonely, encoding: 'utf8' },
        );
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('missing: yaml\n');
      }
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });
});
