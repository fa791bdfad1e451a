/**
 * The type-expression language of the catalogue (schema/README.md): `str`, `int`, `float`, `bool`, `dict`,
 * `list`, `Any`, `None`, `datetime`, quoted string literals, `list[T]`, `json[T]`, named types and unions with `|`.
 */

/**
 * A one-word type. All but `datetime` are also the server's words; `datetime` is a request argument that the
 * server reads as a `str` in its own datetime format, which the client may be given as a `Date`.
 */
export type Primitive =
  'str' | 'int' | 'float' | 'bool' | 'dict' | 'list' | 'Any' | 'None' | 'datetime';

export type TypeNode =
  | { readonly kind: 'primitive'; readonly name: Primitive }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'list'; readonly of: TypeNode }
  | { readonly kind: 'json'; readonly of: TypeNode }
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'union'; readonly members: readonly TypeNode[] };

const PRIMITIVES: ReadonlySet<string> = new Set<Primitive>([
  'str',
  'int',
  'float',
  'bool',
  'dict',
  'list',
  'Any',
  'None',
  'datetime',
]);

/** A type expression that does not parse; `message` says where in the expression. */
export class TypeSyntaxError extends Error {
  override name = 'TypeSyntaxError';
}

type Token =
  | { kind: 'ident'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'punct'; text: '|' | '[' | ']'; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source.charAt(at);
    if (/\s/.test(char)) {
      at++;
    } else if (char === '|' || char === '[' || char === ']') {
      tokens.push({ kind: 'punct', text: char, at });
      at++;
    } else if (char === "'" || char === '"') {
      const end = source.indexOf(char, at + 1);
      if (end < 0) throw new TypeSyntaxError(`unterminated string literal at column ${at + 1}`);
      tokens.push({ kind: 'string', text: source.slice(at + 1, end), at });
      at = end + 1;
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at));
      if (match === null)
        throw new TypeSyntaxError(`unexpected ${JSON.stringify(char)} at column ${at + 1}`);
      tokens.push({ kind: 'ident', text: match[0], at });
      at += match[0].length;
    }
  }
  return tokens;
}

/** Parses a type expression. @throws {TypeSyntaxError} */
export function parseType(source: string): TypeNode {
  const tokens = tokenize(source);
  let index = 0;
  const peek = (): Token | undefined => tokens[index];
  const expect = (text: string): void => {
    const token = tokens[index];
    if (token?.text !== text || token.kind !== 'punct') {
      throw new TypeSyntaxError(
        `expected "${text}" ${token === undefined ? 'at the end' : `at column ${token.at + 1}`}`,
      );
    }
    index++;
  };

  function union(): TypeNode {
    const members = [primary()];
    while (peek()?.text === '|' && peek()?.kind === 'punct') {
      index++;
      members.push(primary());
    }
    return members.length === 1 ? (members[0] as TypeNode) : { kind: 'union', members };
  }

  function primary(): TypeNode {
    const token = tokens[index++];
    if (token === undefined) throw new TypeSyntaxError('expected a type at the end');
    if (token.kind === 'string') return { kind: 'literal', value: token.text };
    if (token.kind === 'punct')
      throw new TypeSyntaxError(`expected a type at column ${token.at + 1}`);
    if ((token.text === 'list' || token.text === 'json') && peek()?.text === '[') {
      index++;
      const of = union();
      expect(']');
      return { kind: token.text, of };
    }
    if (token.text === 'json') throw new TypeSyntaxError('json needs a type: json[T]');
    if (PRIMITIVES.has(token.text)) return { kind: 'primitive', name: token.text as Primitive };
    if (/^[A-Z]/.test(token.text)) return { kind: 'ref', name: token.text };
    throw new TypeSyntaxError(
      `unknown type "${token.text}" (expected str, int, float, bool, dict, list, Any, None, datetime, a quoted literal, list[T], json[T] or a named type)`,
    );
  }

  if (tokens.length === 0) throw new TypeSyntaxError('the type is empty');
  const node = union();
  const rest = tokens[index];
  if (rest !== undefined)
    throw new TypeSyntaxError(`unexpected "${rest.text}" at column ${rest.at + 1}`);
  return node;
}

/** The named types a type refers to. */
export function refsOf(node: TypeNode): string[] {
  switch (node.kind) {
    case 'ref':
      return [node.name];
    case 'list':
    case 'json':
      return refsOf(node.of);
    case 'union':
      return node.members.flatMap(refsOf);
    default:
      return [];
  }
}

/** Whether `null` is a value of the type. */
export function acceptsNull(node: TypeNode): boolean {
  if (node.kind === 'primitive') return node.name === 'None';
  if (node.kind === 'union') return node.members.some(acceptsNull);
  return false;
}

/**
 * The type words of the server's request schema (`apischema.SCHEMA` of authnzerver): its validator knows exactly
 * these, and they are also primitives of the catalogue's language, with the same names (all but `datetime`).
 */
export const SERVER_WORDS: ReadonlySet<string> = new Set<Primitive>([
  'str',
  'int',
  'float',
  'bool',
  'dict',
  'list',
  'Any',
  'None',
]);

/** Whether a type is `datetime` or a union with a `datetime` member: an argument the client may be given a `Date` for. */
export function takesDate(node: TypeNode): boolean {
  const members = node.kind === 'union' ? node.members : [node];
  return members.some((member) => member.kind === 'primitive' && member.name === 'datetime');
}

/** Whether `datetime` appears anywhere in a type, also inside `list[T]` and `json[T]`. */
export function mentionsDatetime(node: TypeNode): boolean {
  switch (node.kind) {
    case 'primitive':
      return node.name === 'datetime';
    case 'list':
    case 'json':
      return mentionsDatetime(node.of);
    case 'union':
      return node.members.some(mentionsDatetime);
    default:
      return false;
  }
}

/**
 * The words of a type written only in one-word types (a primitive, or a union of primitives), without repeats
 * and in the order written; `undefined` for a type that uses anything else (a literal, `list[T]`, `json[T]`, a
 * named type). `datetime` stays `datetime`, which is not one of {@link SERVER_WORDS}: see {@link wireWordsOf}.
 */
export function serverWordsOf(node: TypeNode): string[] | undefined {
  const members = node.kind === 'union' ? node.members : [node];
  const words: string[] = [];
  for (const member of members) {
    if (member.kind !== 'primitive') return undefined;
    if (!words.includes(member.name)) words.push(member.name);
  }
  return words;
}

/**
 * The server's words for a catalogue type as it goes over the wire: {@link serverWordsOf}, with `datetime` read
 * as `str` (the client sends it as a string, and the server's schema says `str`).
 */
export function wireWordsOf(node: TypeNode): string[] | undefined {
  const words = serverWordsOf(node)?.map((word) => (word === 'datetime' ? 'str' : word));
  return words === undefined ? undefined : [...new Set(words)];
}

/** Whether two lists of type words name the same words, in any order. */
export function sameWords(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((word) => right.has(word));
}
