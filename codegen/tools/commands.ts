import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CodegenError } from '../errors.js';
import { CatalogueError, type Catalogue } from '../generator/catalogue.js';
import { loadCatalogueFile } from '../generator/extend.js';
import { checkDrift, formatDrift } from './drift.js';
import { compareWithCatalogue, formatInference, INCOMPATIBLE, inferShapes } from './infer.js';
import { missingTypes, requestsSlot, scaffoldEntries } from './scaffold.js';
import { parseServerSchema, ServerSchemaError, type ServerSchema } from './server-schema.js';
import {
  checkReplies,
  formatReplyDrift,
  parseTranscripts,
  TranscriptsError,
  type RecordedReplies,
} from './transcripts.js';
import { DRIFT_USAGE, INFER_USAGE, SCAFFOLD_USAGE } from './usage.js';

/**
 * `authnzerver-codegen drift`, `scaffold` and `infer`: thin layers over drift.ts, transcripts.ts, scaffold.ts and
 * infer.ts that read and write the files (their help texts are in usage.ts). Loaded by ../cli.ts only when asked
 * for, after checking that `yaml` is installed.
 */

type Print = (text: string) => void;

/** An input problem: the message, and exit status 2. */
class InputError extends CodegenError {}

/**
 * The package's own catalogue: ../../schema from codegen/tools/ (sources), ../../../schema from dist/codegen/tools/
 * (the build).
 */
function defaultCatalogue(): string {
  for (const up of ['../../schema/authnzerver.yaml', '../../../schema/authnzerver.yaml']) {
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

/** A catalogue file, merged with the catalogues it extends (extend.ts); its problems are input errors. */
async function readCatalogue(
  path: string,
  text?: string,
): Promise<{ text: string; catalogue: Catalogue }> {
  try {
    return await loadCatalogueFile(path, text === undefined ? {} : { text });
  } catch (error) {
    if (error instanceof CatalogueError) throw new InputError(error.message);
    throw error;
  }
}

/** Reads and parses an input file; the parser's own error (`Problem`) is an input error. */
async function readInput<T>(
  path: string,
  what: string,
  parseText: (text: string, source: string) => T,
  Problem: new (...args: never[]) => Error,
): Promise<T> {
  const text = await readText(path, what);
  try {
    return parseText(text, shown(path));
  } catch (error) {
    if (error instanceof Problem) throw new InputError(error.message);
    throw error;
  }
}

const readServerSchema = (path: string): Promise<ServerSchema> =>
  readInput(path, 'server schema', parseServerSchema, ServerSchemaError);
const readTranscripts = (path: string): Promise<RecordedReplies> =>
  readInput(path, 'recorded replies', parseTranscripts, TranscriptsError);

/** Runs a command body: input errors (every {@link CodegenError}) become their message and exit status 2. */
async function guarded(err: Print, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CodegenError) {
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

/** The option every subcommand has. */
const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

/**
 * A subcommand's options (with `-h`/`--help` added), or its exit code when there is nothing more to do: 0 after
 * `--help`, 2 (with the usage) for options it does not know.
 */
function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  usage: string,
  out: Print,
  err: Print,
): Values<O & typeof HELP> | number {
  let values: Values<O & typeof HELP>;
  try {
    values = parseArgs<{ args: string[]; options: O & typeof HELP; strict: true }>({
      args: [...argv],
      options: { ...options, ...HELP },
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
      transcripts: { type: 'string' },
      catalogue: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    DRIFT_USAGE,
    out,
    err,
  );
  if (typeof args === 'number') return args;
  const schemaPath = args['server-schema'];
  const transcriptsPath = args.transcripts;
  if ((schemaPath === undefined) === (transcriptsPath === undefined)) {
    err(
      `${schemaPath === undefined ? '--server-schema is required (or --transcripts, to check recorded replies)' : 'give --server-schema or --transcripts, not both (run drift once for each)'}\n\n${DRIFT_USAGE}`,
    );
    return 2;
  }
  if (transcriptsPath !== undefined)
    return guarded(err, () => replyDrift(transcriptsPath, args, out));
  if (schemaPath === undefined) return 2;
  return guarded(err, () => schemaDrift(schemaPath, args, out));
}

/** The options of `drift` that both kinds read. */
interface DriftArgs {
  readonly catalogue?: string | undefined;
  readonly json: boolean;
}

/** `drift --transcripts`: recorded replies against the catalogue's reply shapes. */
async function replyDrift(transcriptsPath: string, args: DriftArgs, out: Print): Promise<number> {
  const recorded = await readTranscripts(transcriptsPath);
  const { catalogue } = await readCatalogue(args.catalogue ?? defaultCatalogue());
  const report = checkReplies(catalogue, recorded);
  if (args.json) {
    const { replies: _replies, source, ...counts } = recorded;
    out(
      `${JSON.stringify(
        {
          inSync: report.inSync,
          catalogue: catalogue.source,
          transcripts: source,
          counts: { ...counts, checked: report.checked, unknownShapes: report.unknownShapes },
          findings: report.findings,
        },
        null,
        2,
      )}\n`,
    );
  } else out(formatReplyDrift(report, catalogue.source, recorded));
  return report.inSync ? 0 : 1;
}

/** `drift --server-schema`: the catalogue against the server's request schema. */
async function schemaDrift(schemaPath: string, args: DriftArgs, out: Print): Promise<number> {
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
      await readCatalogue(cataloguePath, updated);
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

/** `authnzerver-codegen infer`: 0 done, 2 usage or input error. */
export async function inferCommand(
  argv: readonly string[],
  out: Print,
  err: Print,
): Promise<number> {
  const args = parseCommand(
    argv,
    {
      transcripts: { type: 'string' },
      type: { type: 'string', multiple: true },
      catalogue: { type: 'string' },
    },
    INFER_USAGE,
    out,
    err,
  );
  if (typeof args === 'number') return args;
  const transcriptsPath = args.transcripts;
  if (transcriptsPath === undefined) {
    err(`--transcripts is required\n\n${INFER_USAGE}`);
    return 2;
  }
  return guarded(err, async () => {
    const recorded = await readTranscripts(transcriptsPath);
    const { catalogue } = await readCatalogue(args.catalogue ?? defaultCatalogue());
    const withReplies = new Set(recorded.replies.map((reply) => reply.type));
    const lacking = (args.type ?? []).filter((type) => !withReplies.has(type));
    if (lacking.length > 0)
      throw new InputError(
        `${recorded.source} has no replies of ${lacking.join(', ')} (it has replies of: ${[...withReplies].join(', ') || 'none'})`,
      );
    const inference = inferShapes(catalogue, recorded, args.type);
    out(formatInference(inference, recorded.source));
    const differences = compareWithCatalogue(catalogue, inference);
    if (differences.length > 0) {
      const incompatible = differences.filter((d) => INCOMPATIBLE.has(d.kind)).length;
      out(
        `# Compared with ${catalogue.source}: ${incompatible} that the catalogue does not describe, ${differences.length - incompatible} where the replies show less than it allows.\n` +
          differences
            .map((d) => `#   ${d.type} ${d.outcome}.${d.key}: ${d.kind}: ${d.message}\n`)
            .join(''),
      );
    }
    return 0;
  });
}
