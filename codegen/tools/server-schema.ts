import { CodegenError } from '../errors.js';

/**
 * The server's own description of its requests: authnzerver's `apischema.SCHEMA`, dumped to JSON in the server's
 * environment (docs/catalogue-drift.md). For each request type it lists the required arguments (`args`) and the
 * optional ones (`kwargs`), each with a `name`, a `type` (a word such as `"str"`, or a list of words for a union,
 * `["int", "None"]`) and usually a `doc`; each type also has a `doc` and the `function` that serves it. `docs` and
 * `function` may be left out (the project's fixture has neither); any other key is ignored.
 */

export interface ServerArg {
  readonly name: string;
  /** The type words, without repeats, in the server's order: `["int", "None"]`. */
  readonly words: readonly string[];
  /** The words joined as a catalogue type expression: `int | None`. */
  readonly text: string;
  readonly doc: string | undefined;
  /** A kwarg. */
  readonly optional: boolean;
}

export interface ServerRequest {
  /** The request type, e.g. `user-login`. */
  readonly type: string;
  readonly doc: string | undefined;
  /** `args`, then `kwargs` (`optional`), in the server's order. */
  readonly args: readonly ServerArg[];
}

export interface ServerSchema {
  /** The file it came from, as given (for messages). */
  readonly source: string;
  /** In the server's order. */
  readonly requests: readonly ServerRequest[];
}

/** The input is not JSON, or not a SCHEMA dump; the message starts with the file name. */
export class ServerSchemaError extends CodegenError {
  override name = 'ServerSchemaError';
  readonly file: string;
  /** Where in the dump: `"user-login".args[2].type`; empty for the whole file. */
  readonly path: string;

  constructor(file: string, message: string, path = '') {
    super(`${file}: ${message}`);
    this.file = file;
    this.path = path;
  }
}

/** `file: not an authnzerver SCHEMA (…): "user-login".args[2].type: message`. */
function notASchema(
  file: string,
  path: readonly (string | number)[],
  message: string,
): ServerSchemaError {
  const where = path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : i === 0 ? JSON.stringify(part) : `.${part}`,
    )
    .join('');
  return new ServerSchemaError(
    file,
    `not an authnzerver SCHEMA (a JSON object of request types, each with args and kwargs): ${where === '' ? '' : `${where}: `}${message}`,
    where,
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;

/**
 * Validates parsed JSON as a SCHEMA dump.
 * @param source the file name, for messages.
 * @throws {ServerSchemaError} naming the first problem and where it is.
 */
export function loadServerSchema(data: unknown, source: string): ServerSchema {
  const fail = (path: (string | number)[], message: string): never => {
    throw notASchema(source, path, message);
  };
  if (!isObject(data)) return fail([], `the top level is ${describe(data)}, not an object`);
  const entries = Object.entries(data);
  if (entries.length === 0) fail([], 'it has no request types');

  const requests = entries.map(([type, entry]): ServerRequest => {
    if (!isObject(entry))
      return fail([type], `is ${describe(entry)}, not an object with args and kwargs`);
    if (entry.doc !== undefined && typeof entry.doc !== 'string')
      fail([type, 'doc'], `is ${describe(entry.doc)}, not a string`);
    const seen = new Set<string>();
    const argsOf = (key: 'args' | 'kwargs'): ServerArg[] => {
      const list = entry[key];
      if (list === undefined) return fail([type], `has no ${key} list`);
      if (!Array.isArray(list)) return fail([type, key], `is ${describe(list)}, not a list`);
      return list.map((arg: unknown, index): ServerArg => {
        const at = [type, key, index];
        if (!isObject(arg))
          return fail(at, `is ${describe(arg)}, not an object with name and type`);
        const { name, type: words, doc } = arg;
        if (typeof name !== 'string' || name === '')
          return fail([...at, 'name'], 'must be a non-empty string');
        const list = typeof words === 'string' ? [words] : words;
        if (
          !Array.isArray(list) ||
          list.length === 0 ||
          !list.every((word): word is string => typeof word === 'string' && word !== '')
        )
          return fail(
            [...at, 'type'],
            'must be a type word ("str") or a non-empty list of them (["int", "None"])',
          );
        if (doc !== undefined && typeof doc !== 'string')
          fail([...at, 'doc'], `is ${describe(doc)}, not a string`);
        if (seen.has(name)) fail([...at, 'name'], `"${name}" is listed twice`);
        seen.add(name);
        const unique = [...new Set(list)];
        return {
          name,
          words: unique,
          text: unique.join(' | '),
          doc: doc as string | undefined,
          optional: key === 'kwargs',
        };
      });
    };
    return {
      type,
      doc: entry.doc as string | undefined,
      args: [...argsOf('args'), ...argsOf('kwargs')],
    };
  });
  return { source, requests };
}

/**
 * Parses the text of a dump and validates it.
 * @throws {ServerSchemaError} when it is not JSON, or not a SCHEMA.
 */
export function parseServerSchema(text: string, source: string): ServerSchema {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ServerSchemaError(
      source,
      `not JSON (${(error as Error).message.replace(/\s+/g, ' ')}); expected the JSON dump of authnzerver's apischema.SCHEMA`,
    );
  }
  return loadServerSchema(data, source);
}
