import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CatalogueError, camelCase, loadCatalogue } from '../../../codegen/generator/catalogue.js';

const OURS = 'schema/authnzerver.yaml';
const ours = (): unknown =>
  parse(readFileSync(new URL(`../../../${OURS}`, import.meta.url), 'utf8'));

function errorOf(data: unknown): string {
  try {
    loadCatalogue(data, 'my.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return (error as Error).message;
  }
  throw new Error('expected a CatalogueError');
}

const minimal = (request: Record<string, unknown> = {}): Record<string, unknown> => ({
  version: 1,
  name: 'mini',
  requests: { 'thing-get': { summary: 'Get a thing.', sideEffects: 'read', ...request } },
});

describe('the authnzerver catalogue', () => {
  const catalogue = loadCatalogue(ours(), OURS);

  it('has the 38 request types of the server, each with the camelCase method name', () => {
    expect(catalogue.requests).toHaveLength(38);
    for (const request of catalogue.requests) expect(request.method).toBe(camelCase(request.type));
    expect(catalogue.requests.find((r) => r.type === 'user-passcheck-nosession')?.method).toBe(
      'userPasscheckNosession',
    );
  });

  it('gives every argument a doc line, and marks passwords, tokens and keys secret', () => {
    const secretish = /(^|_)(password|token)$|^apikey|^emailpass$/;
    for (const request of catalogue.requests) {
      expect(request.summary.length, request.type).toBeGreaterThan(10);
      for (const arg of request.args) {
        expect(arg.doc, `${request.type}.${arg.name}`).toBeTruthy();
        if (secretish.test(arg.name)) expect(arg.secret, `${request.type}.${arg.name}`).toBe(true);
      }
    }
  });

  it('gives the log-in-like types the login deadline, and only retries types that only read', () => {
    const login = catalogue.requests.filter((r) => r.timeout === 'login').map((r) => r.type);
    expect(login.sort()).toEqual(['user-login', 'user-passcheck-nosession']);
    const reads = catalogue.requests.filter((r) => r.sideEffects === 'read').map((r) => r.type);
    expect(reads).not.toContain('user-login');
    expect(reads).not.toContain('user-passcheck-nosession');
    expect(reads).toContain('session-exists');
  });

  it('documents the two user-sendemail types as defective upstream', () => {
    for (const type of ['user-sendemail-signup', 'user-sendemail-forgotpass']) {
      expect(catalogue.requests.find((r) => r.type === type)?.defect).toMatch(/cannot succeed/i);
    }
  });

  it('hashes the content deterministically', () => {
    expect(loadCatalogue(ours(), OURS).hash).toBe(catalogue.hash);
    expect(catalogue.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loadCatalogue(minimal(), 'x').hash).not.toBe(catalogue.hash);
  });
});

describe('catalogue errors name the file and the path', () => {
  it.each([
    [{ version: 2, name: 'x', requests: {} }, 'my.yaml: version: '],
    [{ ...minimal(), extra: 1 }, 'my.yaml: Unrecognized key: "extra"'],
    [minimal({ sideEffects: 'maybe' }), 'my.yaml: requests.thing-get.sideEffects: '],
    [
      minimal({ summary: '' }),
      'my.yaml: requests.thing-get.summary: a one-line summary is required',
    ],
    [
      minimal({ args: { id: { type: 'integer', doc: 'x' } } }),
      'my.yaml: requests.thing-get.args.id.type: unknown type "integer"',
    ],
    [
      minimal({ args: { id: { type: 'int | ', doc: 'x' } } }),
      'my.yaml: requests.thing-get.args.id.type: expected a type at the end in "int |"',
    ],
    [
      minimal({ args: { id: { type: 'Thing', doc: 'x' } } }),
      'my.yaml: requests.thing-get.args.id.type: unknown type "Thing" (not in types)',
    ],
    [
      minimal({ args: { client_ipaddr: { type: 'str' } } }),
      'my.yaml: requests.thing-get.args.client_ipaddr: client_ipaddr is part of every body',
    ],
    [minimal({ method: 'getThing' }), 'my.yaml: requests.thing-get.method: must be "thingGet"'],
    [
      minimal({ success: { n: 'list[' } }),
      'my.yaml: requests.thing-get.success.n.type: expected a type at the end',
    ],
    [
      { version: 1, name: 'x', requests: { Bad_Name: { summary: 'x.', sideEffects: 'read' } } },
      'my.yaml: requests.Bad_Name: a request type is lower case words joined by -',
    ],
    [
      {
        version: 1,
        name: 'x',
        types: { A: { fields: { b: 'B' } }, B: { fields: { a: 'A' } } },
        requests: {},
      },
      'my.yaml: types.A: types refer to each other in a cycle: A -> B -> A',
    ],
    [
      { version: 1, name: 'x', requests: { request: { summary: 'x.', sideEffects: 'read' } } },
      'my.yaml: requests.request.method: "request" is taken by the client itself',
    ],
    [
      minimal({ args: { a: { type: 'str', doc: 'x' } }, kwargs: { a: { type: 'str', doc: 'x' } } }),
      'my.yaml: requests.thing-get.kwargs.a: is also listed in args',
    ],
    [
      minimal({ success: 'maybe' }),
      'my.yaml: requests.thing-get.success: a reply shape is a mapping of its keys, or unknown (not catalogued yet)',
    ],
    [
      minimal({ args: { mode: { type: "'a'", refines: { server: 'str' } } } }),
      'my.yaml: requests.thing-get.args.mode.refines.reason: a refinement needs its reason',
    ],
    [
      minimal({ success: { expires: 'datetime | None' } }),
      'my.yaml: requests.thing-get.success.expires: datetime is for request arguments only',
    ],
    [
      minimal({ failure: { expires: { type: 'datetime' } } }),
      'my.yaml: requests.thing-get.failure.expires.type: datetime is for request arguments only',
    ],
    [
      { version: 1, name: 'x', types: { A: { fields: { at: 'datetime' } } }, requests: {} },
      'my.yaml: types.A.fields.at: datetime is for request arguments only',
    ],
    [
      minimal({ args: { at: { type: 'list[datetime]' } } }),
      "my.yaml: requests.thing-get.args.at.type: datetime must be the argument's own type or a member of its union, not inside list[T] or json[T]",
    ],
    [
      minimal({
        args: { at: { type: 'datetime', refines: { server: 'datetime | None', reason: 'x' } } },
      }),
      'my.yaml: requests.thing-get.args.at.refines.server: "datetime | None" is not in the server\'s type words',
    ],
    [
      minimal({ args: { at: { type: 'datetime', refines: { server: 'str', reason: 'x' } } } }),
      'my.yaml: requests.thing-get.args.at.refines.server: is the argument\'s own type "datetime": there is nothing to refine',
    ],
  ])('%#: %s', (data, message) => {
    expect(errorOf(data)).toContain(message);
  });

  it('takes datetime for an argument, alone or in a union', () => {
    const request = loadCatalogue(
      minimal({
        args: { at: { type: 'datetime' } },
        kwargs: { until: { type: 'datetime | None' } },
      }),
      'my.yaml',
    ).requests[0]!;
    expect(request.args.map((arg) => arg.typeText)).toEqual(['datetime', 'datetime | None']);
  });

  it('loads a reply shape of unknown as no keys, flagged', () => {
    const request = loadCatalogue(minimal({ success: 'unknown', failure: {} }), 'my.yaml')
      .requests[0]!;
    expect(request).toMatchObject({
      success: [],
      failure: [],
      successUnknown: true,
      failureUnknown: false,
    });
  });

  it('an error names the path inside the real catalogue too', () => {
    const data = ours() as { requests: Record<string, { args: Record<string, { type: string }> }> };
    data.requests['user-login']!.args.email!.type = 'strng';
    expect(() => loadCatalogue(data, OURS)).toThrow(
      `${OURS}: requests.user-login.args.email.type: unknown type "strng"`,
    );
  });
});
