import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REQUEST_TYPES } from '../../src/index.js';
import { checkParams, paramRules, type RequiredType } from '../../src/testing/index.js';

/**
 * The server's parameter check, as the test server runs it before any action: the rules come from the
 * generated zod schemas (specs), and must say what the catalogue's type text says, in the server's words.
 */

interface CatalogueField {
  readonly type: string;
}
interface CatalogueRequest {
  readonly args?: Record<string, CatalogueField>;
  readonly kwargs?: Record<string, CatalogueField>;
}
const catalogue = parse(
  readFileSync(new URL('../../schema/authnzerver.yaml', import.meta.url), 'utf8'),
) as { requests: Record<string, CatalogueRequest> };

/** The server's words for a catalogue type expression: literals, json[T] and datetime are str, named types dict. */
function serverWords(text: string): RequiredType {
  const words = text.split('|').map((part) => {
    const word = part.trim();
    if (word.startsWith("'") || word.startsWith('json[') || word === 'datetime') return 'str';
    if (word.startsWith('list[')) return 'list';
    if (/^[A-Z]/.test(word) && word !== 'None' && word !== 'Any') return 'dict';
    return word;
  });
  const unique = [...new Set(words)] as RequiredType[];
  return (unique.length === 1 ? unique[0] : unique) as RequiredType;
}

/**
 * Where the generated schemas cannot tell the catalogue's spellings apart: `float`, `float | int` and
 * `int | float` all become `z.number()`, worded as the server words `float | int`.
 */
const NUMBER_SPELLINGS: Readonly<Record<string, RequiredType>> = {
  'user-validatepass.max_character_frequency': 'float',
  'apikey-refresh-nosession.not_valid_before': ['int', 'float'],
  'apikey-refresh-nosession.refresh_nbf': ['int', 'float'],
};

describe('the parameter rules', () => {
  it('say what the catalogue says, for every argument of the 38 request types', () => {
    const differences: string[] = [];
    let checked = 0;
    for (const type of REQUEST_TYPES) {
      const entry = catalogue.requests[type]!;
      const expected = [
        ...Object.entries(entry.args ?? {}).map(([name, f]) => ({
          name,
          type: serverWords(f.type),
          required: true,
        })),
        ...Object.entries(entry.kwargs ?? {}).map(([name, f]) => ({
          name,
          type: serverWords(f.type),
          required: false,
        })),
      ];
      const actual = paramRules(type)!;
      expect(actual.map((r) => [r.name, r.required])).toEqual(
        expected.map((r) => [r.name, r.required]),
      );
      for (const [index, rule] of actual.entries()) {
        checked++;
        const want = expected[index]!.type;
        if (JSON.stringify(rule.type) === JSON.stringify(want)) continue;
        differences.push(`${type}.${rule.name}`);
        expect(want, `${type}.${rule.name}`).toEqual(NUMBER_SPELLINGS[`${type}.${rule.name}`]);
        expect(rule.type).toEqual(['float', 'int']);
      }
    }
    expect(differences).toEqual(Object.keys(NUMBER_SPELLINGS));
    expect(checked).toBeGreaterThan(150);
    expect(paramRules('user-frobnicate')).toBeUndefined();
  });
});

describe('checkParams: the server’s apply_typedef', () => {
  it('reports missing args and wrong types in the server’s words and order', () => {
    expect(checkParams('session-new', { ip_address: 7, user_agent: null })).toEqual([
      {
        param: 'ip_address',
        problem: 'incorrect type',
        required_type: 'str',
        required_param: true,
      },
      {
        param: 'user_agent',
        problem: 'incorrect type',
        required_type: 'str',
        required_param: true,
      },
      {
        param: 'user_id',
        problem: 'missing',
        required_type: ['int', 'None'],
        required_param: true,
      },
      { param: 'expires', problem: 'missing', required_type: 'str', required_param: true },
      {
        param: 'extra_info_json',
        problem: 'missing',
        required_type: ['dict', 'None'],
        required_param: true,
      },
    ]);
  });

  it('takes JSON true and false as int, and only true and false as bool', () => {
    const body = { session_token: 't', user_id: true, keep_current_session: false };
    expect(checkParams('session-delete-userid', body)).toEqual([]);
    expect(checkParams('session-delete-userid', { ...body, keep_current_session: 1 })).toEqual([
      {
        param: 'keep_current_session',
        problem: 'incorrect type',
        required_type: 'bool',
        required_param: true,
      },
    ]);
    expect(checkParams('session-delete-userid', { ...body, user_id: 1.5 })).toHaveLength(1);
  });

  it('lets anything through a union with None, and nothing but null fails Any', () => {
    expect(checkParams('user-list', { user_id: 'abc' })).toEqual([]);
    expect(checkParams('user-lookup-match', { by: 'email', match: 0 })).toEqual([]);
    expect(checkParams('user-lookup-match', { by: 'email', match: null })).toEqual([
      { param: 'match', problem: 'incorrect type', required_type: 'Any', required_param: true },
    ]);
  });

  it('checks kwargs only when they are truthy, and ignores keys it does not know', () => {
    const body = { password: 'p', email: 'e', full_name: 'n', extra: { anything: true } };
    expect(checkParams('user-validatepass', { ...body, min_pass_length: 0 })).toEqual([]);
    expect(checkParams('user-validatepass', { ...body, min_pass_length: '' })).toEqual([]);
    expect(checkParams('user-validatepass', { ...body, min_pass_length: 'twelve' })).toEqual([
      {
        param: 'min_pass_length',
        problem: 'incorrect type',
        required_type: 'int',
        required_param: false,
      },
    ]);
  });

  it('words a list, a float and a union as the server does', () => {
    const rules = Object.fromEntries(paramRules('apikey-new')!.map((r) => [r.name, r.type]));
    expect(rules.apiversion).toEqual(['str', 'int']);
    expect(rules.not_valid_before).toEqual(['float', 'int']);
    expect(
      Object.fromEntries(paramRules('apikey-verify')!.map((r) => [r.name, r.type])).apikey_dict,
    ).toBe('dict');
    expect(
      checkParams('apikey-new', { not_valid_before: 'soon' }).find(
        (p) => p.param === 'not_valid_before',
      ),
    ).toEqual({
      param: 'not_valid_before',
      problem: 'incorrect type',
      required_type: ['float', 'int'],
      required_param: true,
    });
  });
});
