import { describe, expect, it } from 'vitest';
import { formatDrift, type Finding } from '../../../codegen/tools/drift.js';
import { loadServerSchema } from '../../../codegen/tools/server-schema.js';
import {
  arg,
  CATALOGUE,
  catalogue,
  drift,
  dump,
  facts,
  FIXTURE,
  ours,
  read,
  type Dump,
} from './drift-helpers.js';

/**
 * `checkDrift`: the committed server schema agrees with the catalogue, and each change planted into a copy of it is
 * reported exactly. The refinements have drift-refinements.test.ts, the command ../drift-command.test.ts.
 */

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

// Each planted change: its name, the change, the findings it must give (messages apart) and the first one's message.
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

describe('planted changes are each reported exactly, with nothing else', () => {
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
