import { createHash } from 'node:crypto';
import * as z from 'zod';
import { CodegenError } from '../errors.js';
import {
  mentionsDatetime,
  parseType,
  refsOf,
  sameWords,
  SERVER_WORDS,
  serverWordsOf,
  TypeSyntaxError,
  wireWordsOf,
  type TypeNode,
} from './types.js';

/**
 * The catalogue (schema/README.md), validated: what the generator works from. `load` turns the parsed YAML into
 * this; every error names the file and the path in it.
 */

export interface Field {
  readonly name: string;
  readonly type: TypeNode;
  /** The expression as written, for docs. */
  readonly typeText: string;
  readonly doc: string | undefined;
  readonly secret: boolean;
  /** Arguments: a kwarg. Reply fields: the key may be absent. */
  readonly optional: boolean;
  /** Arguments only: a deliberate narrowing of the server's type, recorded with its reason. */
  readonly refines?: Refinement;
}

/**
 * An argument whose catalogue type is deliberately narrower than the type in the server's request schema (an enum
 * of strings where the server says `str`, a named object type where it says `dict`). `authnzerver-codegen drift`
 * counts it as agreement while the server's type is still `server` and the catalogue's type is a subset of it.
 */
export interface Refinement {
  /** The server's type, in its words (`str`, `int | None`). */
  readonly server: TypeNode;
  /** The server's type as written. */
  readonly serverText: string;
  /** Why the catalogue narrows it. */
  readonly reason: string;
}

export interface NamedType {
  readonly name: string;
  readonly doc: string | undefined;
  readonly fields: readonly Field[];
}

export interface RequestType {
  /** The wire name, e.g. `user-login`. */
  readonly type: string;
  readonly method: string;
  readonly summary: string;
  readonly doc: string | undefined;
  readonly defect: string | undefined;
  readonly sideEffects: 'read' | 'write';
  readonly timeout: 'default' | 'login';
  /** Arguments then keyword arguments (`optional`), in catalogue order. */
  readonly args: readonly Field[];
  readonly success: readonly Field[];
  readonly failure: readonly Field[];
  /** `success: unknown`: the keys of the success reply are not catalogued yet (`success` is empty). */
  readonly successUnknown: boolean;
  /** `failure: unknown`: the keys of the failure reply are not catalogued yet (`failure` is empty). */
  readonly failureUnknown: boolean;
}

export interface Catalogue {
  /** The file it came from, as given (for headers and errors). */
  readonly source: string;
  readonly name: string;
  readonly description: string | undefined;
  /** The class users construct. */
  readonly className: string;
  /** Named types in dependency order (a type comes after the types it uses). */
  readonly types: readonly NamedType[];
  readonly requests: readonly RequestType[];
  /** sha256 of the catalogue's content (its parsed data as canonical JSON), to tell generated code apart. */
  readonly hash: string;
}

/** A catalogue error: `file: path: message`. */
export class CatalogueError extends CodegenError {
  override name = 'CatalogueError';
  readonly file: string;
  readonly path: string;

  constructor(file: string, path: readonly (string | number)[], message: string) {
    const where = path.length === 0 ? '' : `${path.join('.')}: `;
    super(`${file}: ${where}${message}`);
    this.file = file;
    this.path = path.join('.');
  }
}

const doc = z.string().trim().min(1).optional();
const typeText = z.string().trim().min(1, 'a type expression is required');

const REASON_REQUIRED =
  "a refinement needs its reason: say why the catalogue's type is narrower than the server's";
const argField = z.strictObject({
  type: typeText,
  doc,
  secret: z.boolean().optional(),
  refines: z
    .strictObject({
      server: typeText,
      reason: z.string({ error: REASON_REQUIRED }).trim().min(1, REASON_REQUIRED),
    })
    .optional(),
});
const replyField = z.union([
  typeText,
  z.strictObject({
    type: typeText,
    doc,
    secret: z.boolean().optional(),
    optional: z.boolean().optional(),
  }),
]);
const fieldMap = <T extends z.ZodType>(field: T) => z.record(z.string().min(1), field).nullish();
/**
 * A reply shape: its keys, or `unknown` (not catalogued yet, as `authnzerver-codegen scaffold` writes it), which
 * loads as no keys; `loadCatalogue` reads the flag from the data itself.
 */
const replyShape = z.preprocess(
  (value) => (value === 'unknown' ? null : value),
  z
    .record(z.string().min(1), replyField, {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? 'a reply shape is a mapping of its keys, or unknown (not catalogued yet)'
          : undefined,
    })
    .nullish(),
);

const requestEntry = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'must be a JavaScript identifier')
    .optional(),
  summary: z.string().trim().min(1, 'a one-line summary is required'),
  doc,
  defect: doc,
  sideEffects: z.enum(['read', 'write']),
  timeout: z.enum(['default', 'login']).default('default'),
  args: fieldMap(argField),
  kwargs: fieldMap(argField),
  success: replyShape,
  failure: replyShape,
});

const catalogueFile = z.strictObject({
  version: z.literal(1),
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter: letters, digits, - and _'),
  className: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9_]*$/, 'must be a PascalCase identifier')
    .optional(),
  description: doc,
  types: z
    .record(
      z.string().regex(/^[A-Z][A-Za-z0-9_]*$/, 'a type name must be PascalCase'),
      z.strictObject({ doc, fields: z.record(z.string().min(1), replyField) }),
    )
    .optional(),
  requests: z.record(
    z
      .string()
      .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a request type is lower case words joined by -'),
    requestEntry,
  ),
});

/** `user-passcheck-nosession` → `userPasscheckNosession`. */
export function camelCase(wireName: string): string {
  return wireName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `user-passcheck-nosession` → `UserPasscheckNosession`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name.replace(/_/g, '-'));
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

const RESERVED_METHODS = new Set([
  'request',
  'close',
  'call',
  'config',
  'constructor',
  'sync',
  'requestSync',
]);

/**
 * Validates parsed YAML (any JSON-like value) as a catalogue.
 * @param source the file name, for errors and generated headers.
 * @throws {CatalogueError} naming the path of the first problem found.
 */
export function loadCatalogue(data: unknown, source: string): Catalogue {
  if (typeof data === 'object' && data !== null && 'extends' in data)
    throw new CatalogueError(
      source,
      ['extends'],
      'a catalogue that extends another is read with loadCatalogueFile (codegen/generator/extend.ts), which merges the two',
    );
  const parsed = catalogueFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    // A bad record key carries the key's own problem inside.
    const message =
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    throw new CatalogueError(
      source,
      issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message,
    );
  }
  const file = parsed.data;
  const fail = (path: (string | number)[], message: string): never => {
    throw new CatalogueError(source, path, message);
  };

  const typeOf = (text: string, path: (string | number)[], key = 'type'): TypeNode => {
    try {
      return parseType(text);
    } catch (error) {
      if (error instanceof TypeSyntaxError)
        return fail([...path, key], `${error.message} in "${text}"`);
      throw error;
    }
  };
  const refinementOf = (
    field: Field,
    refines: { server: string; reason: string },
    path: (string | number)[],
  ): Refinement => {
    const server = typeOf(refines.server, path, 'server');
    const words = serverWordsOf(server);
    if (words?.every((word) => SERVER_WORDS.has(word)) !== true)
      fail(
        [...path, 'server'],
        `"${refines.server}" is not in the server's type words (str, int, float, bool, dict, list, Any, None, joined by |)`,
      );
    const own = wireWordsOf(field.type);
    if (own !== undefined && sameWords(own, words ?? []))
      fail(
        [...path, 'server'],
        `is the argument's own type "${field.typeText}": there is nothing to refine; remove refines`,
      );
    return { server, serverText: refines.server, reason: refines.reason };
  };
  const replyFields = (
    fields: Record<string, z.infer<typeof replyField>> | null | undefined,
    path: (string | number)[],
  ): Field[] =>
    Object.entries(fields ?? {}).map(([name, spec]) => {
      const entry = typeof spec === 'string' ? { type: spec } : spec;
      const type = typeOf(entry.type, [...path, name]);
      if (mentionsDatetime(type))
        fail(
          typeof spec === 'string' ? [...path, name] : [...path, name, 'type'],
          "datetime is for request arguments only (args and kwargs, where the client turns a Date into the server's format); write str here",
        );
      return {
        name,
        type,
        typeText: entry.type,
        doc: 'doc' in entry ? entry.doc : undefined,
        secret: 'secret' in entry ? (entry.secret ?? false) : false,
        optional: 'optional' in entry ? (entry.optional ?? false) : false,
      };
    });

  const namedTypes = Object.entries(file.types ?? {}).map(([name, spec]) => ({
    name,
    doc: spec.doc,
    fields: replyFields(spec.fields, ['types', name, 'fields']),
  }));
  const known = new Map(namedTypes.map((t) => [t.name, t]));

  const checkRefs = (fields: readonly Field[], path: (string | number)[]): void => {
    for (const field of fields) {
      for (const ref of refsOf(field.type)) {
        if (!known.has(ref))
          fail([...path, field.name, 'type'], `unknown type "${ref}" (not in types)`);
      }
    }
  };
  for (const named of namedTypes) checkRefs(named.fields, ['types', named.name, 'fields']);

  // Dependency order, and no cycles: a named type may only use types that can be defined before it.
  const ordered: NamedType[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      fail(
        ['types', name],
        `types refer to each other in a cycle: ${[...trail, name].join(' -> ')}`,
      );
    state.set(name, 'visiting');
    const named = known.get(name) as NamedType;
    for (const field of named.fields)
      for (const ref of refsOf(field.type)) visit(ref, [...trail, name]);
    state.set(name, 'done');
    ordered.push(named);
  };
  for (const named of namedTypes) visit(named.name, []);

  /** A request entry as written (parsing maps a reply shape of `unknown` to none). */
  const raw = (type: string): Record<string, unknown> =>
    (data as { requests: Record<string, Record<string, unknown>> }).requests[type] ?? {};
  const methods = new Map<string, string>();
  const requests: RequestType[] = Object.entries(file.requests).map(([type, entry]) => {
    const path = ['requests', type];
    const method = entry.method ?? camelCase(type);
    if (entry.method !== undefined && entry.method !== camelCase(type)) {
      fail([...path, 'method'], `must be "${camelCase(type)}", the camelCase of the request type`);
    }
    if (RESERVED_METHODS.has(method))
      fail([...path, 'method'], `"${method}" is taken by the client itself`);
    const clash = methods.get(method);
    if (clash !== undefined)
      fail([...path, 'method'], `"${method}" is also the method of ${clash}`);
    methods.set(method, type);

    const argFields = (
      fields: Record<string, z.infer<typeof argField>> | null | undefined,
      where: 'args' | 'kwargs',
    ): Field[] =>
      Object.entries(fields ?? {}).map(([name, spec]) => {
        if (name === 'client_ipaddr') {
          fail(
            [...path, where, name],
            'client_ipaddr is part of every body already; do not list it',
          );
        }
        const type = typeOf(spec.type, [...path, where, name]);
        const members = type.kind === 'union' ? type.members : [type];
        if (members.some((member) => member.kind !== 'primitive' && mentionsDatetime(member)))
          fail(
            [...path, where, name, 'type'],
            "datetime must be the argument's own type or a member of its union, not inside list[T] or json[T]",
          );
        const field: Field = {
          name,
          type,
          typeText: spec.type,
          doc: spec.doc,
          secret: spec.secret ?? false,
          optional: where === 'kwargs',
        };
        if (spec.refines === undefined) return field;
        return {
          ...field,
          refines: refinementOf(field, spec.refines, [...path, where, name, 'refines']),
        };
      });
    const args = [...argFields(entry.args, 'args'), ...argFields(entry.kwargs, 'kwargs')];
    const seen = new Set<string>();
    for (const arg of args) {
      if (seen.has(arg.name)) fail([...path, 'kwargs', arg.name], 'is also listed in args');
      seen.add(arg.name);
    }
    const success = replyFields(entry.success, [...path, 'success']);
    const failure = replyFields(entry.failure, [...path, 'failure']);
    checkRefs(args, [...path, 'args']);
    checkRefs(success, [...path, 'success']);
    checkRefs(failure, [...path, 'failure']);
    return {
      type,
      method,
      summary: entry.summary,
      doc: entry.doc,
      defect: entry.defect,
      sideEffects: entry.sideEffects,
      timeout: entry.timeout,
      args,
      success,
      failure,
      successUnknown: raw(type).success === 'unknown',
      failureUnknown: raw(type).failure === 'unknown',
    };
  });

  return {
    source,
    name: file.name,
    description: file.description,
    className: file.className ?? pascalCase(file.name),
    types: ordered,
    requests,
    hash: createHash('sha256').update(JSON.stringify(data)).digest('hex'),
  };
}
