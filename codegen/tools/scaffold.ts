import { basename } from 'node:path';
import { isMap, isScalar, parseDocument, stringify, type Node } from 'yaml';
import { CodegenError } from '../errors.js';
import type { Catalogue } from '../generator/catalogue.js';
import { SERVER_WORDS } from '../generator/types.js';
import type { ServerArg, ServerRequest, ServerSchema } from './server-schema.js';

/**
 * Catalogue entries for request types that the server has and the catalogue lacks, written from the server's
 * request schema: arguments with their types (and docs, when the dump has them), replies marked `unknown`. The
 * result loads and generates a typed method at once; the reply shapes, the summary and the retry class are left
 * for a person to fill in. Pure: `authnzerver-codegen scaffold` reads and writes the files.
 */

/** A type cannot be scaffolded: not on the server, or already in the catalogue. */
export class ScaffoldError extends CodegenError {
  override name = 'ScaffoldError';
}

/** Server types the catalogue lacks, in the server's order. */
export function missingTypes(catalogue: Catalogue, server: ServerSchema): string[] {
  const ours = new Set(catalogue.requests.map((request) => request.type));
  return server.requests.map((request) => request.type).filter((type) => !ours.has(type));
}

/** Names that hold passwords, tokens or keys: scaffolded as `secret: true`, so logs and hooks redact them. */
const SECRET_NAME = /(password|passwd|pass|token|secret)$|apikey|api_key/;

export interface ScaffoldOptions {
  /** Spaces before each entry's key (the indentation of the catalogue's `requests`); default 2. */
  readonly indent?: number;
}

/**
 * The YAML text of catalogue entries for `types`, to go under `requests:`.
 * @throws {ScaffoldError} when a type is not on the server, or is in the catalogue already.
 */
export function scaffoldEntries(
  catalogue: Catalogue,
  server: ServerSchema,
  types: readonly string[],
  options: ScaffoldOptions = {},
): string {
  const byName = new Map(server.requests.map((request) => [request.type, request]));
  const ours = new Set(catalogue.requests.map((request) => request.type));
  const indent = options.indent ?? 2;
  const step = Math.max(indent, 2);
  const chunks = [...new Set(types)].map((type) => {
    const request = byName.get(type);
    if (request === undefined)
      throw new ScaffoldError(`${type}: not a request type of ${server.source}`);
    if (ours.has(type))
      throw new ScaffoldError(
        `${type}: already in ${catalogue.source}; scaffold only writes types the catalogue lacks`,
      );
    return entryOf(request, server.source, indent, step);
  });
  return chunks.join('');
}

const oneLine = (text: string | undefined): string | undefined => {
  const line = text?.replace(/\s+/g, ' ').trim();
  return line === '' ? undefined : line;
};
const scalar = (value: string): string => stringify(value, { lineWidth: 0 }).trimEnd();

function entryOf(request: ServerRequest, source: string, indent: number, step: number): string {
  const pad = (level: number): string => ' '.repeat(indent + step * level);
  const lines = [
    `${pad(0)}${scalar(request.type)}:`,
    `${pad(1)}# Scaffolded from ${basename(source)} by authnzerver-codegen scaffold. Still to do: the summary in your words,`,
    `${pad(1)}# sideEffects (write until you know it only reads: read types are retried), timeout, and the replies:`,
    `${pad(1)}# replace "unknown" with their keys (schema/README.md). Then run authnzerver-codegen drift.`,
    `${pad(1)}summary: ${scalar(oneLine(request.doc) ?? `The server's ${request.type} request (scaffolded; describe it here).`)}`,
    `${pad(1)}sideEffects: write`,
    `${pad(1)}timeout: default`,
  ];
  const group = (key: 'args' | 'kwargs', args: readonly ServerArg[]): void => {
    // client_ipaddr is in every generated body already; a catalogue does not list it.
    const listed = args.filter((arg) => arg.name !== 'client_ipaddr');
    if (listed.length === 0) return;
    lines.push(`${pad(1)}${key}:`);
    for (const arg of listed) {
      const unknown = arg.words.filter((word) => !SERVER_WORDS.has(word));
      lines.push(`${pad(2)}${scalar(arg.name)}:`);
      if (unknown.length > 0)
        lines.push(
          `${pad(3)}# The server's type ${JSON.stringify(arg.text)} has words the catalogue does not know: ${unknown.join(', ')}.`,
        );
      lines.push(`${pad(3)}type: ${scalar(unknown.length > 0 ? 'Any' : arg.text)}`);
      const doc = oneLine(arg.doc);
      if (doc !== undefined) lines.push(`${pad(3)}doc: ${scalar(doc)}`);
      if (SECRET_NAME.test(arg.name))
        lines.push(`${pad(3)}secret: true # guessed from the name: redacted from logs and hooks`);
    }
  };
  group(
    'args',
    request.args.filter((arg) => !arg.optional),
  );
  group(
    'kwargs',
    request.args.filter((arg) => arg.optional),
  );
  lines.push(`${pad(1)}success: unknown`, `${pad(1)}failure: unknown`);
  return `${lines.join('\n')}\n`;
}

/** Where scaffolded entries go in a catalogue's text. */
export interface RequestsSlot {
  /** The indentation of the request entries (2 when there are none yet). */
  readonly indent: number;
  /** Adds the entries' text under `requests:`, leaving every other byte of the file as it was. */
  readonly insert: (entries: string) => string;
}

/**
 * Finds where new request entries can go: at the end of the file, below a block `requests:` map that is the
 * file's last top-level key (as in schema/authnzerver.yaml), or in place of an empty `requests:` / `requests: {}`.
 * @throws {ScaffoldError} for other layouts, which only a person should rearrange.
 */
export function requestsSlot(text: string, source: string): RequestsSlot {
  const doc = parseDocument(text);
  const root = doc.contents;
  const fail = (why: string): never => {
    throw new ScaffoldError(
      `${source}: ${why}, so scaffold cannot add entries to it; use --print and paste them under requests:`,
    );
  };
  if (doc.errors.length > 0 || !isMap(root)) return fail('it is not a YAML mapping');
  const items = root.items;
  const pair = items.find((item) => isScalar(item.key) && item.key.value === 'requests');
  if (pair === undefined) return fail('it has no requests: key');
  if (pair !== items.at(-1)) return fail('requests: is not its last top-level key');
  const value = pair.value as Node | null;
  const withNewline = text.endsWith('\n') ? text : `${text}\n`;

  if (isMap(value) && !value.flow && value.items.length > 0) {
    const first = value.items[0]?.key as Node;
    const at = first.range?.[0] ?? 0;
    const indent = at - text.lastIndexOf('\n', at - 1) - 1;
    return { indent, insert: (entries) => withNewline + entries };
  }
  const empty =
    value === null ||
    (isScalar(value) && value.value === null) ||
    (isMap(value) && value.items.length === 0);
  if (!empty) return fail('its requests: is not a block mapping');
  const key = pair.key as Node;
  const start = key.range?.[0] ?? 0;
  const end = value?.range?.[1] ?? key.range?.[2] ?? start;
  const lineEnd = text.indexOf('\n', end);
  const rest = lineEnd < 0 ? '' : text.slice(lineEnd + 1);
  return {
    indent: 2,
    insert: (entries) => `${text.slice(0, start)}requests:\n${entries}${rest}`,
  };
}
