import type { Catalogue, Field, RequestType } from '../generator/catalogue.js';
import { sameWords, serverWordsOf, wireWordsOf, type TypeNode } from '../generator/types.js';
import type { ServerArg, ServerRequest, ServerSchema } from './server-schema.js';

/**
 * Catalogue drift: where the catalogue and the server's request schema (`apischema.SCHEMA`) disagree. A pure
 * function of the two; `authnzerver-codegen drift` is the command around it (docs/catalogue-drift.md).
 *
 * What is compared, per request type: the type itself (on both sides or on one), its arguments (by name; order
 * does not matter), whether each is required (`args`) or optional (`kwargs`), and each argument's type. Replies are
 * not compared: the server's schema does not describe them.
 *
 * Types agree when they name the same words (`float | int` and `["int", "float"]` agree; the catalogue's
 * `datetime` is the server's `str`, the word of the string it is sent as). When they differ, the
 * catalogue's type is a deliberate refinement if the argument records one (`refines`, with the server's type and
 * a reason) and the catalogue's type is a subset of the server's (`isSubsetOfServer`); anything else is drift.
 */

/** The kinds of JSON value that the two type languages tell apart. */
export type ValueClass = 'string' | 'integer' | 'fraction' | 'bool' | 'object' | 'array' | 'null';

const NON_NULL: readonly ValueClass[] = [
  'string',
  'integer',
  'fraction',
  'bool',
  'object',
  'array',
];

/**
 * The values a catalogue type lets the client send, by class. `float` is any JSON number: the client may send
 * `2`, which the server reads as an integer. Literals, `json[T]` and `datetime` (a `Date` is sent as the server's
 * datetime string) are strings; `list[T]` arrays; named types objects.
 */
export function catalogueValues(node: TypeNode): Set<ValueClass> {
  switch (node.kind) {
    case 'primitive':
      switch (node.name) {
        case 'str':
        case 'datetime':
          return new Set(['string']);
        case 'int':
          return new Set(['integer']);
        case 'float':
          return new Set(['integer', 'fraction']);
        case 'bool':
          return new Set(['bool']);
        case 'dict':
          return new Set(['object']);
        case 'list':
          return new Set(['array']);
        case 'Any':
          return new Set(NON_NULL);
        case 'None':
          return new Set(['null']);
      }
      break;
    case 'literal':
    case 'json':
      return new Set(['string']);
    case 'list':
      return new Set(['array']);
    case 'ref':
      return new Set(['object']);
    case 'union':
      return new Set(node.members.flatMap((member) => [...catalogueValues(member)]));
  }
}

/**
 * The values the server's validator (`apischema.apply_typedef`, Python's `isinstance` on the decoded JSON)
 * accepts for its type words: `int` takes integers and also `true`/`false` (a Python bool is an int), `float` only
 * numbers with a fraction or exponent (`2` decodes to an int), `Any` anything but null. `None` is read as null: the
 * validator lets any value through a union that has `None`, which would make every type a subset of
 * `str | None`. A word the validator does not know accepts nothing.
 */
export function serverValues(words: readonly string[]): Set<ValueClass> {
  const classes = new Set<ValueClass>();
  const add = (...more: readonly ValueClass[]): void => {
    for (const value of more) classes.add(value);
  };
  for (const word of words) {
    if (word === 'str') add('string');
    else if (word === 'int') add('integer', 'bool');
    else if (word === 'float') add('fraction');
    else if (word === 'bool') add('bool');
    else if (word === 'dict') add('object');
    else if (word === 'list') add('array');
    else if (word === 'Any') add(...NON_NULL);
    else if (word === 'None') add('null');
  }
  return classes;
}

/**
 * Whether every value the catalogue's type lets the client send is one the server's type accepts: `'lock' |
 * 'unlock'` ⊂ `str`, `ApiKeyPayload` ⊂ `dict`, `int` ⊂ `int | None`, `float | int` ⊂ `["float", "int"]`, but not
 * `float` ⊂ `float` (the client may send `2`), `str | None` ⊂ `str`, or `str` ⊂ `int`.
 */
export function isSubsetOfServer(node: TypeNode, words: readonly string[]): boolean {
  const server = serverValues(words);
  return [...catalogueValues(node)].every((value) => server.has(value));
}

export type FindingKind =
  /** A request type on the server that the catalogue lacks (scaffold it). */
  | 'type-not-in-catalogue'
  /** A request type in the catalogue that the server does not have. */
  | 'type-not-on-server'
  /** An argument on the server that the catalogue lacks. */
  | 'arg-not-in-catalogue'
  /** An argument in the catalogue that the server does not have. */
  | 'arg-not-on-server'
  /** Required on one side (`args`), optional on the other (`kwargs`). */
  | 'arg-moved'
  /** The type words differ and the catalogue records no refinement. */
  | 'arg-type'
  /** The catalogue records a refinement, but its type is not a subset of the server's. */
  | 'refinement-not-subset'
  /** The catalogue's refinement is still a subset, but the server's type is no longer the one it was recorded against. */
  | 'refinement-stale';

/** One side of a finding. */
export interface Side {
  /** Arguments: required (`args`) or optional (`kwargs`). */
  readonly required?: boolean;
  /** Arguments: the type, as a catalogue type expression (the server's words joined by `|`). */
  readonly type?: string;
  /** The server's type that the catalogue's refinement was recorded against. */
  readonly refines?: string;
  /** Request types: how many required and optional arguments. */
  readonly args?: number;
  readonly kwargs?: number;
}

export interface Finding {
  readonly kind: FindingKind;
  /** The request type. */
  readonly type: string;
  /** The argument, for the argument kinds. */
  readonly arg?: string;
  readonly server?: Side;
  readonly catalogue?: Side;
  /** One sentence, without the request type. */
  readonly message: string;
}

export interface DriftReport {
  /** No findings. */
  readonly inSync: boolean;
  /** By request type in the server's order (then the catalogue-only ones), and by argument the same way. */
  readonly findings: readonly Finding[];
  readonly counts: {
    readonly serverTypes: number;
    readonly catalogueTypes: number;
    /** Request types on both sides. */
    readonly compared: number;
    /** Arguments on both sides of those types. */
    readonly args: number;
    /** Recorded refinements that hold. */
    readonly refinements: number;
  };
}

const requiredness = (optional: boolean): string => (optional ? 'optional' : 'required');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The argument every generated body has: the client copies it to the envelope (schema/README.md). */
const CLIENT_IPADDR = 'client_ipaddr';

/**
 * Compares a catalogue with the server's request schema.
 * @returns every disagreement, and nothing for the recorded refinements that hold.
 */
export function checkDrift(catalogue: Catalogue, server: ServerSchema): DriftReport {
  const findings: Finding[] = [];
  const ours = new Map(catalogue.requests.map((request) => [request.type, request]));
  const theirs = new Set(server.requests.map((request) => request.type));
  let compared = 0;
  let args = 0;
  let refinements = 0;

  for (const request of server.requests) {
    const mine = ours.get(request.type);
    if (mine === undefined) {
      const required = request.args.filter((arg) => !arg.optional).length;
      const optional = request.args.length - required;
      findings.push({
        kind: 'type-not-in-catalogue',
        type: request.type,
        server: { args: required, kwargs: optional },
        message: `on the server (${plural(required, 'required argument')} in args, ${optional} in kwargs) but not in the catalogue`,
      });
      continue;
    }
    compared++;
    const found = compareArgs(request, mine);
    findings.push(...found.findings);
    args += found.args;
    refinements += found.refinements;
  }
  for (const request of catalogue.requests) {
    if (theirs.has(request.type)) continue;
    findings.push({
      kind: 'type-not-on-server',
      type: request.type,
      message: 'in the catalogue but not on the server',
    });
  }

  return {
    inSync: findings.length === 0,
    findings,
    counts: {
      serverTypes: server.requests.length,
      catalogueTypes: catalogue.requests.length,
      compared,
      args,
      refinements,
    },
  };
}

/**
 * The arguments of a request type on both sides: the findings, how many arguments are on both sides, and how many
 * recorded refinements hold.
 */
function compareArgs(
  request: ServerRequest,
  mine: RequestType,
): { findings: Finding[]; args: number; refinements: number } {
  const findings: Finding[] = [];
  let args = 0;
  let refinements = 0;
  const fields = new Map(mine.args.map((field) => [field.name, field]));
  for (const arg of request.args) {
    const field = fields.get(arg.name);
    if (field === undefined) {
      if (arg.name === CLIENT_IPADDR) {
        // Not listed in catalogues: every generated body requires it as a non-empty string.
        args++;
        if (!isSubsetOfServer({ kind: 'primitive', name: 'str' }, arg.words)) {
          findings.push({
            kind: 'arg-type',
            type: request.type,
            arg: arg.name,
            server: { type: arg.text },
            catalogue: { type: 'str' },
            message: `argument client_ipaddr: every generated body sends it as a str, but the server's type is ${arg.text}`,
          });
        }
        continue;
      }
      findings.push({
        kind: 'arg-not-in-catalogue',
        type: request.type,
        arg: arg.name,
        server: { required: !arg.optional, type: arg.text },
        message: `argument ${arg.name}: on the server (${requiredness(arg.optional)}, ${arg.text}) but not in the catalogue`,
      });
      continue;
    }
    args++;
    if (field.optional !== arg.optional) {
      findings.push({
        kind: 'arg-moved',
        type: request.type,
        arg: arg.name,
        server: { required: !arg.optional },
        catalogue: { required: !field.optional },
        message: `argument ${arg.name}: ${requiredness(field.optional)} in the catalogue (${field.optional ? 'kwargs' : 'args'}) but ${requiredness(arg.optional)} on the server (${arg.optional ? 'kwargs' : 'args'})`,
      });
    }
    const typeFinding = compareType(request.type, field, arg);
    if (typeFinding !== undefined) findings.push(typeFinding);
    else if (field.refines !== undefined) refinements++;
  }
  const named = new Set(request.args.map((arg) => arg.name));
  for (const field of mine.args) {
    if (named.has(field.name)) continue;
    findings.push({
      kind: 'arg-not-on-server',
      type: request.type,
      arg: field.name,
      catalogue: { required: !field.optional, type: field.typeText },
      message: `argument ${field.name}: in the catalogue (${requiredness(field.optional)}, ${field.typeText}) but not on the server`,
    });
  }
  return { findings, args, refinements };
}

function compareType(type: string, field: Field, arg: ServerArg): Finding | undefined {
  // `datetime` is a `str` on the wire: it agrees with the server's `str` without a refinement.
  const own = wireWordsOf(field.type);
  const refines = field.refines;
  if (refines === undefined) {
    if (own !== undefined && sameWords(own, arg.words)) return undefined;
    const narrower = isSubsetOfServer(field.type, arg.words);
    return {
      kind: 'arg-type',
      type,
      arg: arg.name,
      server: { type: arg.text },
      catalogue: { type: field.typeText },
      message: `argument ${arg.name}: the catalogue says ${field.typeText}, the server says ${arg.text}${narrower ? ' (the catalogue is narrower: if that is deliberate, record it with refines and a reason)' : ''}`,
    };
  }
  const recorded = serverWordsOf(refines.server) ?? [];
  const sides = {
    server: { type: arg.text },
    catalogue: { type: field.typeText, refines: refines.serverText },
  };
  const since = sameWords(recorded, arg.words)
    ? ''
    : ` (the refinement was recorded against ${refines.serverText})`;
  if (!isSubsetOfServer(field.type, arg.words)) {
    return {
      kind: 'refinement-not-subset',
      type,
      arg: arg.name,
      ...sides,
      message: `argument ${arg.name}: the catalogue's refinement ${field.typeText} is not a subset of the server's ${arg.text}${since}`,
    };
  }
  if (since !== '') {
    return {
      kind: 'refinement-stale',
      type,
      arg: arg.name,
      ...sides,
      message: `argument ${arg.name}: the server's type is now ${arg.text}${since}; ${own !== undefined && sameWords(own, arg.words) ? "it is the catalogue's own type, so the refinement can go" : 'review the refinement and its reason'}`,
    };
  }
  return undefined;
}

/** The report as text for people: one line per finding, under its request type. */
export function formatDrift(report: DriftReport, catalogue: string, server: string): string {
  const { counts } = report;
  if (report.inSync) {
    return `${catalogue} agrees with ${server}: ${plural(counts.compared, 'request type')}, ${plural(counts.args, 'argument')}, ${plural(counts.refinements, 'recorded refinement')}.\n`;
  }
  const byType = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byType.get(finding.type) ?? [];
    list.push(finding);
    byType.set(finding.type, list);
  }
  const lines = [
    `${catalogue} has drifted from ${server}: ${plural(report.findings.length, 'finding')} in ${plural(byType.size, 'request type')}.`,
    '',
  ];
  for (const [type, findings] of byType) {
    lines.push(type);
    for (const finding of findings) lines.push(`  ${finding.message}`);
  }
  return `${lines.join('\n')}\n`;
}
