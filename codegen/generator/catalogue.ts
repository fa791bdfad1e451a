import { createHash } from 'node:crypto';
import * as z from 'zod';
import { CodegenError } from '../errors.js';
import { argField, catalogueFile, replyField, requestEntry } from './catalogue-format.js';
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
 * The catalogue (schema/README.md), validated: what the generator works from. `loadCatalogue` turns the parsed
 * YAML into this; every error names the file and the path in it.
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

type Path = (string | number)[];
type CatalogueFile = z.infer<typeof catalogueFile>;
type RequestEntry = z.infer<typeof requestEntry>;

/**
 * Validates parsed YAML (any JSON-like value) as a catalogue: its shape, then its named types (their fields, their
 * references, their order), then its request types. The first problem found is the error.
 * @param source the file name, for errors and generated headers.
 * @throws {CatalogueError} naming the path of the first problem found.
 */
export function loadCatalogue(data: unknown, source: string): Catalogue {
  const file = parseCatalogueFile(data, source);
  const namedTypes = Object.entries(file.types ?? {}).map(([name, spec]): NamedType => ({
    name,
    doc: spec.doc,
    fields: replyFields(source, spec.fields, ['types', name, 'fields']),
  }));
  const known = new Map(namedTypes.map((t) => [t.name, t]));
  for (const named of namedTypes)
    checkRefs(source, known, named.fields, ['types', named.name, 'fields']);
  const ordered = dependencyOrder(source, namedTypes, known);

  /** A request entry as written (parsing maps a reply shape of `unknown` to none). */
  const written = (type: string): Record<string, unknown> =>
    (data as { requests: Record<string, Record<string, unknown>> }).requests[type] ?? {};
  const methods = new Map<string, string>();
  const requests = Object.entries(file.requests).map(([type, entry]) =>
    requestType(source, type, entry, written(type), { known, methods }),
  );

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

function fail(source: string, path: Path, message: string): never {
  throw new CatalogueError(source, path, message);
}

/** The file's shape, checked by zod: the first issue becomes the error. */
function parseCatalogueFile(data: unknown, source: string): CatalogueFile {
  if (typeof data === 'object' && data !== null && 'extends' in data)
    fail(
      source,
      ['extends'],
      'a catalogue that extends another is read with loadCatalogueFile (codegen/generator/extend.ts), which merges the two',
    );
  const parsed = catalogueFile.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  // A bad record key carries the key's own problem inside.
  const message =
    issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return fail(
    source,
    issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message,
  );
}

/** A type expression, parsed; its syntax errors name the path (and `key`, the key that holds it). */
function typeOf(source: string, text: string, path: Path, key = 'type'): TypeNode {
  try {
    return parseType(text);
  } catch (error) {
    if (error instanceof TypeSyntaxError)
      return fail(source, [...path, key], `${error.message} in "${text}"`);
    throw error;
  }
}

/** The fields of a reply shape or a named type: no `datetime` here (it is for arguments). */
function replyFields(
  source: string,
  fields: Record<string, z.infer<typeof replyField>> | null | undefined,
  path: Path,
): Field[] {
  return Object.entries(fields ?? {}).map(([name, spec]) => {
    const entry = typeof spec === 'string' ? { type: spec } : spec;
    const type = typeOf(source, entry.type, [...path, name]);
    if (mentionsDatetime(type))
      fail(
        source,
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
}

/** The arguments of a request type (`args`, or `kwargs`: optional), with their refinements. */
function argFields(
  source: string,
  fields: Record<string, z.infer<typeof argField>> | null | undefined,
  path: Path,
  where: 'args' | 'kwargs',
): Field[] {
  return Object.entries(fields ?? {}).map(([name, spec]) => {
    if (name === 'client_ipaddr')
      fail(
        source,
        [...path, where, name],
        'client_ipaddr is part of every body already; do not list it',
      );
    const type = typeOf(source, spec.type, [...path, where, name]);
    const members = type.kind === 'union' ? type.members : [type];
    if (members.some((member) => member.kind !== 'primitive' && mentionsDatetime(member)))
      fail(
        source,
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
      refines: refinementOf(source, field, spec.refines, [...path, where, name, 'refines']),
    };
  });
}

/** An argument's recorded refinement: the server's type must be in its words, and not the argument's own. */
function refinementOf(
  source: string,
  field: Field,
  refines: { server: string; reason: string },
  path: Path,
): Refinement {
  const server = typeOf(source, refines.server, path, 'server');
  const words = serverWordsOf(server);
  if (words?.every((word) => SERVER_WORDS.has(word)) !== true)
    fail(
      source,
      [...path, 'server'],
      `"${refines.server}" is not in the server's type words (str, int, float, bool, dict, list, Any, None, joined by |)`,
    );
  const own = wireWordsOf(field.type);
  if (own !== undefined && sameWords(own, words))
    fail(
      source,
      [...path, 'server'],
      `is the argument's own type "${field.typeText}": there is nothing to refine; remove refines`,
    );
  return { server, serverText: refines.server, reason: refines.reason };
}

/** Every named type that the fields refer to is in `types`. */
function checkRefs(
  source: string,
  known: ReadonlyMap<string, NamedType>,
  fields: readonly Field[],
  path: Path,
): void {
  for (const field of fields) {
    for (const ref of refsOf(field.type)) {
      if (!known.has(ref))
        fail(source, [...path, field.name, 'type'], `unknown type "${ref}" (not in types)`);
    }
  }
}

/** Dependency order, and no cycles: a named type may only use types that can be defined before it. */
function dependencyOrder(
  source: string,
  namedTypes: readonly NamedType[],
  known: ReadonlyMap<string, NamedType>,
): NamedType[] {
  const ordered: NamedType[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      fail(
        source,
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
  return ordered;
}

/**
 * One request type: its method (the camelCase of its name, not the client's own, not another type's), its
 * arguments (each name once) and its replies, every named type they use known.
 * @param written the entry as written, to tell a reply shape of `unknown` from none.
 * @param seen the named types, and the methods of the request types before this one.
 */
function requestType(
  source: string,
  type: string,
  entry: RequestEntry,
  written: Record<string, unknown>,
  seen: { known: ReadonlyMap<string, NamedType>; methods: Map<string, string> },
): RequestType {
  const path = ['requests', type];
  const method = entry.method ?? camelCase(type);
  if (entry.method !== undefined && entry.method !== camelCase(type))
    fail(
      source,
      [...path, 'method'],
      `must be "${camelCase(type)}", the camelCase of the request type`,
    );
  if (RESERVED_METHODS.has(method))
    fail(source, [...path, 'method'], `"${method}" is taken by the client itself`);
  const clash = seen.methods.get(method);
  if (clash !== undefined)
    fail(source, [...path, 'method'], `"${method}" is also the method of ${clash}`);
  seen.methods.set(method, type);

  const args = [
    ...argFields(source, entry.args, path, 'args'),
    ...argFields(source, entry.kwargs, path, 'kwargs'),
  ];
  const names = new Set<string>();
  for (const arg of args) {
    if (names.has(arg.name)) fail(source, [...path, 'kwargs', arg.name], 'is also listed in args');
    names.add(arg.name);
  }
  const success = replyFields(source, entry.success, [...path, 'success']);
  const failure = replyFields(source, entry.failure, [...path, 'failure']);
  checkRefs(source, seen.known, args, [...path, 'args']);
  checkRefs(source, seen.known, success, [...path, 'success']);
  checkRefs(source, seen.known, failure, [...path, 'failure']);
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
    successUnknown: written.success === 'unknown',
    failureUnknown: written.failure === 'unknown',
  };
}
