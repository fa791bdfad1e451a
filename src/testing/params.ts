import { specs } from '../../generated/specs.js';
import type { RequestSpec } from '../core/spec.js';
import { truthy } from './py.js';

/**
 * The server's own parameter check (authnzerver's `validate_api_request`), derived from the catalogue: which
 * arguments a request type requires, which it takes optionally, and the type words the server uses for them.
 * The words come from the generated zod body schemas in `specs`, so they follow the catalogue without a second
 * list.
 */

/** A type word of the server's request schema. */
export type ServerTypeWord = 'str' | 'int' | 'float' | 'bool' | 'dict' | 'list' | 'Any' | 'None';

/** How the server words a parameter's type: one word, or its list of alternatives. */
export type RequiredType = ServerTypeWord | readonly ServerTypeWord[];

/** One argument of a request type, as the server's schema lists it. */
export interface ParamRule {
  readonly name: string;
  readonly type: RequiredType;
  /** True for `args` (must be present), false for `kwargs` (checked only when truthy). */
  readonly required: boolean;
}

/** One refused parameter, in the server's words and key order. */
export interface ParamProblem {
  readonly param: string;
  readonly problem: 'missing' | 'incorrect type';
  readonly required_type: RequiredType;
  readonly required_param: boolean;
}

interface ZodNode {
  readonly def: {
    readonly type: string;
    readonly format?: string;
    readonly innerType?: ZodNode;
    readonly options?: readonly ZodNode[];
    readonly shape?: Readonly<Record<string, ZodNode>>;
  };
}

/**
 * The server's words for a schema node. The generator emits `z.number()` for `float` and for the unions of
 * `float` and `int`; it is worded as the server words `float | int`, `["float", "int"]`.
 */
function wordsOf(node: ZodNode): ServerTypeWord[] {
  const def = node.def;
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
    case 'date': // a catalogue `datetime`: the client sends a Date as the server's datetime string
      return ['str'];
    case 'number':
      return def.format === undefined ? ['float', 'int'] : ['int'];
    case 'boolean':
      return ['bool'];
    case 'null':
      return ['None'];
    case 'record':
    case 'object':
      return ['dict'];
    case 'array':
      return ['list'];
    case 'custom':
      return ['Any'];
    case 'nullable':
      return [...wordsOf(def.innerType as ZodNode), 'None'];
    case 'optional':
      return wordsOf(def.innerType as ZodNode);
    case 'union':
      return (def.options ?? []).flatMap(wordsOf);
    default:
      throw new Error(`no server type word for a zod "${def.type}" schema`);
  }
}

function ruleOf(name: string, node: ZodNode): ParamRule {
  const words = [...new Set(wordsOf(node))];
  return {
    name,
    type: words.length === 1 ? (words[0] as ServerTypeWord) : words,
    required: node.def.type !== 'optional',
  };
}

/**
 * The server's parameter rules of one request type, read from its spec's body schema (a generated zod object):
 * for the catalogue's types, and for those of a client generated from a catalogue that extends it.
 * @throws {Error} for a body schema the generator does not make.
 */
export function paramRulesOf(spec: Pick<RequestSpec, 'body'>): readonly ParamRule[] {
  const shape = (spec.body as unknown as ZodNode).def.shape ?? {};
  const rules = Object.entries(shape)
    .filter(([name]) => name !== 'client_ipaddr')
    .map(([name, node]) => ruleOf(name, node));
  // The server checks all args first, then the kwargs.
  return [...rules.filter((r) => r.required), ...rules.filter((r) => !r.required)];
}

const RULES: ReadonlyMap<string, readonly ParamRule[]> = new Map(
  Object.values(specs).map((spec) => [spec.type, paramRulesOf(spec)]),
);

/** The server's parameter rules of a request type, in the order it checks them; undefined for unknown types. */
export function paramRules(type: string): readonly ParamRule[] | undefined {
  return RULES.get(type);
}

/** Python's `isinstance` for one type word, on a value parsed from JSON (JSON true/false are Python ints). */
function accepts(word: ServerTypeWord, value: unknown): boolean {
  switch (word) {
    case 'str':
      return typeof value === 'string';
    case 'int':
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'boolean';
    case 'float':
      // JSON.stringify writes whole numbers without a decimal point, which Python reads as int.
      return typeof value === 'number' && !Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'dict':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'list':
      return Array.isArray(value);
    case 'Any':
      return value !== null && value !== undefined;
    case 'None':
      // The server's check of "None" always passes, so any union with None accepts anything.
      return true;
  }
}

/** The server's `apply_typedef`: whether `value` is of any of the type's words. */
export function matchesType(type: RequiredType, value: unknown): boolean {
  const words: readonly ServerTypeWord[] = typeof type === 'string' ? [type] : type;
  return words.some((word) => accepts(word, value));
}

/**
 * Checks a body as the server does before it dispatches: every arg must be present (null counts as present)
 * and of its type; a kwarg is checked only when its value is truthy; other keys are ignored.
 *
 * @returns the problems, in the server's order; empty when the body passes.
 */
export function checkParams(
  type: string,
  body: Readonly<Record<string, unknown>>,
  rules: readonly ParamRule[] | undefined = paramRules(type),
): ParamProblem[] {
  const problems: ParamProblem[] = [];
  for (const rule of rules ?? []) {
    const present = Object.hasOwn(body, rule.name);
    if (rule.required && !present) {
      problems.push({
        param: rule.name,
        problem: 'missing',
        required_type: rule.type,
        required_param: true,
      });
    } else if (
      (rule.required || truthy(body[rule.name])) &&
      !matchesType(rule.type, body[rule.name])
    ) {
      problems.push({
        param: rule.name,
        problem: 'incorrect type',
        required_type: rule.type,
        required_param: rule.required,
      });
    }
  }
  return problems;
}

/** The action dict the server answers invalid parameters with (HTTP 200; `send_response` wraps it once more). */
export function invalidParamsReply(
  type: string,
  problems: readonly ParamProblem[],
): { success: false; response: Record<string, unknown>; messages: string[] } {
  return {
    success: false,
    response: { problems, failure_reason: 'invalid request parameters' },
    messages: [`request '${type}' has invalid parameters`],
  };
}
