import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse } from 'yaml';
import { CatalogueError, loadCatalogue, type Catalogue } from './catalogue.js';
import { checkDrift, formatDrift } from './drift.js';
import { missingTypes, requestsSlot, ScaffoldError, scaffoldEntries } from './scaffold.js';
import { parseServerSchema, ServerSchemaError, type ServerSchema } from './server-schema.js';

/**
 * `authnzerver-codegen drift` and `authnzerver-codegen scaffold`: thin layers over drift.ts and scaffold.ts that read
 * and write the files. Loaded by cli.ts only when asked for, after checking that `yaml` is installed.
 */

export const DRIFT_USAGE = `Usage: authnzerver-codegen drift --server-schema <file.json> [--catalogue <file.yaml>] [--json]

Compares a request catalogue with the server's own request schema (authnzerver's apischema.SCHEMA, dumped to JSON
in the server's environment; docs/catalogue-drift.md shows how) and reports, per request type: types on one side
only, arguments added or removed, arguments moved between required and optional, and type words that differ.
Refinements recorded in the catalogue (refines: with a reason) agree while their type is a subset of the server's.

Options:
  --server-schema <file>    the JSON dump of SCHEMA (with or without its docs)
  --catalogue <file>        the catalogue (default: the package's own schema/authnzerver.yaml)
  --json                    print the report as JSON: { inSync, catalogue, serverSchema, counts, findings }
  -h, --help                show this help

Exit status: 0 in sync, 1 drift, 2 a usage or input error (a missing file, not JSON, not a SCHEMA, a bad catalogue).
`;

export const SCAFFOLD_USAGE = `Usage: authnzerver-codegen scaffold --server-schema <file.json> (--type <name>... | --missing) [options]

Writes catalogue entries for request types that the server has and the catalogue lacks: their arguments with the
server's types and docs, and the replies marked unknown. Generate at once for a typed method; describe the replies,
the summary and the retry class later (schema/README.md).

Options:
  --server-schema <file>    the JSON dump of SCHEMA
  --type <name>             a request type to scaffold (repeat it for more)
  --missing                 every server type the catalogue lacks
  --catalogue <file>        the catalogue to add them to (default: the package's own schema/authnzerver.yaml)
  --print                   change no file: print the entries, to paste under requests:
  -h, --help                show this help

The entries are appended under requests:, which must be the catalogue's last top-level key; the rest of the file is
left as it was, and nothing is written unless the result loads. Exit status: 0 done (or nothing to do), 2 a usage or
input error.
`;

type Print = (text: string) => void;

/** An input problem: the message, and exit status 2. */
class InputError extends Error {}

/** The package's own catalogue: ../schema from codegen/ (sources), ../../schema from dist/codegen/ (the build). */
function defaultCatalogue(): string {
  for (const up of ['../schema/authnzerver.yaml', '../../schema/authnzerver.yaml']) {
    const path = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new InputError('the package has no schema/authnzerver.yaml: pass --catalogue');
}

/** A path as messages show it: relative to the working folder when it is inside it. */
const shown = (path: string): string => {
  const inside = relative(process.cwd(), path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
};

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${shown(path)}: no such file (the ${what})`);
    if (code === 'EISDIR') throw new InputError(`${shown(path)}: is a folder, not the ${what}`);
    throw new InputError(`${shown(path)}: cannot read the ${what}: ${(error as Error).message}`);
  }
}

async function readCatalogue(path: string): Promise<{ text: string; catalogue: Catalogue }> {
  const text = await readText(path, 'catalogue');
  return { text, catalogue: catalogueOf(text, shown(path)) };
}

function catalogueOf(text: string, source: string): Catalogue {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new InputError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  try {
    return loadCatalogue(data, source);
  } catch (error) {
    if (error instanceof CatalogueError) throw new InputError(error.message);
    throw error;
  }
}

async function readServerSchema(path: string): Promise<ServerSchema> {
  const text = await readText(path, 'server schema');
  try {
    return parseServerSchema(text, shown(path));
  } catch (error) {
    if (error instanceof ServerSchemaError) throw new InputError(error.message);
    throw error;
  }
}

/** Runs a command body: input errors become their message and exit status 2. */
async function guarded(err: Print, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof InputError || error instanceof ScaffoldError) {
      err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** The parsed options of a subcommand. */
type Values<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true }>
>['values'];

/**
 * A subcommand's options, or its exit code when there is nothing more to do: 0 after `--help`, 2 (with the
 * usage) for options it does not know.
 */
function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  usage: string,
  out: Print,
  err: Print,
): Values<O> | number {
  let values: Values<O>;
  try {
    values = parseArgs<{ args: string[]; options: O; strict: true }>({
      args: [...argv],
      options,
      strict: true,
    }).values;
  } catch (error) {
    err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((values as { help?: unknown }).help === true) {
    out(usage);
    return 0;
  }
  return values;
}

/** `authnzerver-codegen drift`: 0 in sync, 1 drift, 2 usage or input error. */
export async function driftCommand(
  argv: readonly string[],
  out: Print,
  err: Print,
): Promise<number> {
  const args = parseCommand(
    argv,
    {
      'server-schema': { type: 'string' },
      catalogue: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    DRIFT_USAGE,
    out,
    err,
  );
  if (typeof args === 'number') return args;
  const schemaPath = args['server-schema'];
  if (schemaPath === undefined) {
    err(`--server-schema is required\n\n${DRIFT_USAGE}`);
    return 2;
  }
  return guarded(err, async () => {
    const cataloguePath = args.catalogue ?? defaultCatalogue();
    const server = await readServerSchema(schemaPath);
    const { catalogue } = await readCatalogue(cataloguePath);
    const report = checkDrift(catalogue, server);
    if (args.json) {
      out(
        `${JSON.stringify(
          {
            inSync: report.inSync,
            catalogue: catalogue.source,
            serverSchema: server.source,
            counts: report.counts,
            findings: report.findings,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      out(formatDrift(report, catalogue.source, server.source));
      if (report.findings.some((finding) => finding.kind === 'type-not-in-catalogue')) {
        const where = args.catalogue === undefined ? '' : ` --catalogue ${catalogue.source}`;
        out(
          `\nTo add the types the catalogue lacks: authnzerver-codegen scaffold --server-schema ${server.source}${where} --missing\n`,
        );
      }
    }
    return report.inSync ? 0 : 1;
  });
}

/** `authnzerver-codegen scaffold`: 0 done, 2 usage or input error. */
export async function scaffoldCommand(
  argv: readonly string[],
  out: Print,
  err: Print,
): Promise<number> {
  const args = parseCommand(
    argv,
    {
      'server-schema': { type: 'string' },
      type: { type: 'string', multiple: true },
      missing: { type: 'boolean', default: false },
      catalogue: { type: 'string' },
      print: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    SCAFFOLD_USAGE,
    out,
    err,
  );
  if (typeof args === 'number') return args;
  const schemaPath = args['server-schema'];
  const named = args.type ?? [];
  if (schemaPath === undefined || (named.length === 0) === !args.missing) {
    err(
      `${schemaPath === undefined ? '--server-schema is required' : 'give either --type <name> or --missing'}\n\n${SCAFFOLD_USAGE}`,
    );
    return 2;
  }
  return guarded(err, async () => {
    const cataloguePath = args.catalogue ?? defaultCatalogue();
    const server = await readServerSchema(schemaPath);
    const { text, catalogue } = await readCatalogue(cataloguePath);
    const types = args.missing ? missingTypes(catalogue, server) : named;
    if (types.length === 0) {
      out(`${catalogue.source} has every request type of ${server.source}: nothing to scaffold\n`);
      return 0;
    }
    if (args.print) {
      out(scaffoldEntries(catalogue, server, types));
      return 0;
    }
    if (args.catalogue === undefined && cataloguePath.split(sep).includes('node_modules'))
      throw new InputError(
        `not writing into the installed package's ${shown(cataloguePath)}: copy it, and pass the copy as --catalogue`,
      );
    const slot = requestsSlot(text, catalogue.source);
    const updated = slot.insert(scaffoldEntries(catalogue, server, types, { indent: slot.indent }));
    try {
      catalogueOf(updated, catalogue.source);
    } catch (error) {
      // Nothing is written unless the result loads.
      if (error instanceof InputError)
        throw new InputError(
          `the scaffolded catalogue would not load, so nothing was written: ${error.message}`,
        );
      throw error;
    }
    await writeFile(cataloguePath, updated);
    out(
      `${catalogue.source}: scaffolded ${types.join(', ')} from ${server.source}, replies marked unknown.\n` +
        'Next: generate the client; then describe the replies, the summary and sideEffects, and run drift.\n',
    );
    return 0;
  });
}
