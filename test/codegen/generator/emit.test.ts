import { describe, expect, it } from 'vitest';
import { camelCase, pascalCase, type Field } from '../../../codegen/generator/catalogue.js';
import {
  docText,
  paragraphs,
  quoteKey,
  quoteString,
  secretPaths,
  tsType,
  zodExpr,
  zodField,
} from '../../../codegen/generator/emit.js';
import {
  acceptsNull,
  mentionsDatetime,
  parseType,
  refsOf,
  serverWordsOf,
  takesDate,
  TypeSyntaxError,
  wireWordsOf,
} from '../../../codegen/generator/types.js';

const t = parseType;

describe('type expressions', () => {
  it.each([
    ['str', { kind: 'primitive', name: 'str' }],
    ['None', { kind: 'primitive', name: 'None' }],
    ["'lock'", { kind: 'literal', value: 'lock' }],
    ['"a b"', { kind: 'literal', value: 'a b' }],
    ['list[int]', { kind: 'list', of: { kind: 'primitive', name: 'int' } }],
    ['json[ApiKey]', { kind: 'json', of: { kind: 'ref', name: 'ApiKey' } }],
    [
      'int | None',
      {
        kind: 'union',
        members: [
          { kind: 'primitive', name: 'int' },
          { kind: 'primitive', name: 'None' },
        ],
      },
    ],
    [
      'list[str | int]',
      {
        kind: 'list',
        of: {
          kind: 'union',
          members: [
            { kind: 'primitive', name: 'str' },
            { kind: 'primitive', name: 'int' },
          ],
        },
      },
    ],
    ['datetime', { kind: 'primitive', name: 'datetime' }],
  ])('parses %s', (source, node) => {
    expect(parseType(source)).toEqual(node);
  });

  it.each([
    ['', 'the type is empty'],
    ['string', 'unknown type "string"'],
    ['int |', 'expected a type at the end'],
    ['list[int', 'expected "]" at the end'],
    ["'open", 'unterminated string literal at column 1'],
    ['int int', 'unexpected "int" at column 5'],
    ['json', 'json needs a type'],
    ['int & str', 'unexpected "&" at column 5'],
  ])('refuses %j: %s', (source, message) => {
    expect(() => parseType(source)).toThrow(TypeSyntaxError);
    expect(() => parseType(source)).toThrow(message);
  });

  it('tells which types take a Date, and words datetime as the str it is sent as', () => {
    expect(takesDate(t('datetime'))).toBe(true);
    expect(takesDate(t('datetime | None'))).toBe(true);
    expect(takesDate(t('str'))).toBe(false);
    expect(takesDate(t('list[datetime]'))).toBe(false);
    expect(mentionsDatetime(t('list[datetime] | None'))).toBe(true);
    expect(mentionsDatetime(t('json[Owner] | str'))).toBe(false);
    expect(serverWordsOf(t('datetime | None'))).toEqual(['datetime', 'None']);
    expect(wireWordsOf(t('datetime | None'))).toEqual(['str', 'None']);
    expect(wireWordsOf(t('str | datetime'))).toEqual(['str']);
    expect(wireWordsOf(t("'lock'"))).toBeUndefined();
  });

  it('lists the named types a type uses, and tells whether it takes null', () => {
    expect(refsOf(t('list[A] | json[B] | str'))).toEqual(['A', 'B']);
    expect(acceptsNull(t('str | None'))).toBe(true);
    expect(acceptsNull(t('list[None]'))).toBe(false);
  });
});

describe('names', () => {
  it.each([
    ['user-passcheck-nosession', 'userPasscheckNosession', 'UserPasscheckNosession'],
    ['apikey-new', 'apikeyNew', 'ApikeyNew'],
    ['session-new', 'sessionNew', 'SessionNew'],
    ['user-set-emailverified', 'userSetEmailverified', 'UserSetEmailverified'],
  ])('%s is method %s and type prefix %s', (wire, method, prefix) => {
    expect(camelCase(wire)).toBe(method);
    expect(pascalCase(wire)).toBe(prefix);
  });

  it('quotes property keys only when they are not identifiers', () => {
    expect(quoteKey('user_id')).toBe('user_id');
    expect(quoteKey('$x')).toBe('$x');
    expect(quoteKey('x-legacy')).toBe("'x-legacy'");
    expect(quoteKey('2fa')).toBe("'2fa'");
    expect(quoteKey("it's")).toBe("'it\\'s'");
    expect(quoteString('a\\b\nc')).toBe("'a\\\\b\\nc'");
  });
});

describe('JSDoc text', () => {
  it('cannot end the comment early', () => {
    expect(docText('before */ after')).toBe('before *\\/ after');
    expect(docText('  trailing   \n  spaces  ')).toBe('trailing\n  spaces');
  });

  it('joins paragraphs and drops empty ones', () => {
    expect(paragraphs('one', undefined, false, '  ', 'two */')).toBe('one\n\ntwo *\\/');
  });
});

describe('TypeScript types', () => {
  it.each([
    ['str', 'string', 'string'],
    ['int', 'number', 'number'],
    ['float | int', 'number', 'number'],
    ['bool', 'boolean', 'boolean'],
    ['dict', 'Record<string, unknown>', 'Record<string, unknown>'],
    ['list', 'readonly unknown[]', 'unknown[]'],
    ['Any', 'NonNullable<unknown>', 'NonNullable<unknown>'],
    ['None | str', 'string | null', 'string | null'],
    ["'lock' | 'unlock'", "'lock' | 'unlock'", "'lock' | 'unlock'"],
    ['list[str | None]', 'readonly (string | null)[]', '(string | null)[]'],
    ['json[Owner]', 'string', 'string'],
    ['Owner | None', 'Owner | null', 'Owner | null'],
    ['datetime', 'string | Date', 'string'],
    ['datetime | None', 'string | Date | null', 'string | null'],
    ['str | datetime', 'string | Date', 'string'],
  ])('%s is %s in a request and %s in a reply', (source, request, response) => {
    expect(tsType(t(source), 'request')).toBe(request);
    expect(tsType(t(source), 'response')).toBe(response);
  });

  it('qualifies named types with a prefix', () => {
    expect(tsType(t('list[Owner]'), 'response', 'T.')).toBe('T.Owner[]');
  });
});

describe('zod/mini expressions (the functional form, which a bundler can tree-shake)', () => {
  it.each([
    ['str', 'z.string()'],
    ['int', 'z.int()'],
    ['float', 'z.number()'],
    ['float | int', 'z.number()'],
    ['int | float | None', 'z.nullable(z.number())'],
    ['bool', 'z.boolean()'],
    ['dict', 'z.record(z.string(), z.unknown())'],
    ['list', 'z.array(z.unknown())'],
    ['Any', 'schema.anyValue()'],
    ['None', 'z.null()'],
    ['str | None', 'z.nullable(z.string())'],
    ['str | int', 'z.union([z.string(), z.int()])'],
    ["'lock' | 'unlock'", "z.enum(['lock', 'unlock'])"],
    ["'lock'", "z.literal('lock')"],
    ['list[Owner]', 'z.array(OwnerSchema())'],
    ['json[Owner]', 'schema.jsonString(OwnerSchema())'],
    ['str | int | None', 'z.nullable(z.union([z.string(), z.int()]))'],
    ["'lock' | 'unlock' | None", "z.nullable(z.enum(['lock', 'unlock']))"],
    ['datetime', 'schema.datetime()'],
    ['datetime | None', 'z.nullable(schema.datetime())'],
  ])('%s is %s', (source, expression) => {
    expect(zodExpr(t(source))).toBe(expression);
  });

  it('makes optional fields optional', () => {
    const field: Field = {
      name: 'x',
      type: t('str'),
      typeText: 'str',
      doc: undefined,
      secret: false,
      optional: true,
    };
    expect(zodField(field)).toBe('z.optional(z.string())');
    expect(zodField({ ...field, type: t('str | None') })).toBe(
      'z.optional(z.nullable(z.string()))',
    );
    expect(zodField({ ...field, optional: false })).toBe('z.string()');
  });
});

describe('secret paths', () => {
  const field = (name: string, type: string, secret = false): Field => ({
    name,
    type: t(type),
    typeText: type,
    doc: undefined,
    secret,
    optional: false,
  });
  const named = new Map([
    ['Owner', [field('owner_id', 'int'), field('api_token', 'str', true)]],
    ['Widget', [field('owner', 'Owner'), field('owners', 'list[Owner] | None')]],
  ]);

  it('finds secrets through named types, lists and unions, and lists a secret field whole', () => {
    expect(
      secretPaths(
        [
          field('password', 'str', true),
          field('widget', 'Widget | None'),
          field('key', 'Owner', true),
        ],
        named,
      ),
    ).toEqual(['password', 'widget.owner.api_token', 'widget.owners[].api_token', 'key']);
  });
});
