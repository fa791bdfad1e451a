import { describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue } from '../../../codegen/generator/catalogue.js';
import { parseType } from '../../../codegen/generator/types.js';
import { checkDrift, isSubsetOfServer } from '../../../codegen/tools/drift.js';
import { loadServerSchema } from '../../../codegen/tools/server-schema.js';
import { facts, type Dump } from './drift-helpers.js';

/**
 * Refinements: an argument whose catalogue type is deliberately narrower than the server's, recorded with a reason,
 * agrees while it is a subset of the server's type words.
 */

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
