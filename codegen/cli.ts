import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CodegenError } from './errors.js';

/**
 * authnzerver-codegen: generates a typed client from a request catalogue.
 *
 *   authnzerver-codegen --catalogue my.yaml --out src/authnzerver-client [--check]
 *   authnzerver-codegen drift --server-schema server-schema.json [--catalogue my.yaml] [--json]
 *   authnzerver-codegen scaffold --server-schema server-schema.json (--type NAME | --missing) [--catalogue my.yaml]
 *   authnzerver-codegen drift --transcripts recorded.json [--catalogue my.yaml] [--json]
 *   authnzerver-codegen infer --transcripts recorded.json [--type NAME] [--catalogue my.yaml]
 *
 * ts-morph, prettier and yaml are optional peer dependencies of the package, so that users who only call the SDK
 * never install them; this command asks for them by name when they are missing (drift, scaffold and infer need only
 * yaml). Those three live in tools/commands.ts, loaded only when asked for. A catalogue may extend the package's own
 * (`extends: authnzerver`, generator/extend.ts).
 */

const USAGE = `Usage: authnzerver-codegen --catalogue <file.yaml> --out <dir> [options]

Generates a typed authnzerver client (types.ts, schemas.ts, specs.ts, client.ts, index.ts) from a request catalogue
(the format is described in the package's schema/README.md; schema/authnzerver.yaml is the server's own).

Options:
  --catalogue <file>        the catalogue, YAML
  --out <dir>               where to write the generated files
  --check                   write nothing; exit 1 when <dir> is not what the catalogue generates
  --runtime-import <spec>   where generated code imports the runtime from (default: authnzerver/runtime)
  --command <text>          the regenerate command named in the files' header
  -h, --help                show this help

Other commands (each has --help):
  authnzerver-codegen drift --server-schema <file.json> [--catalogue <file.yaml>] [--json]
      compare a catalogue with the server's own request schema (apischema.SCHEMA dumped to JSON)
  authnzerver-codegen scaffold --server-schema <file.json> (--type <name> | --missing) [--catalogue <file.yaml>]
      add catalogue entries for request types the server has and the catalogue lacks
  authnzerver-codegen drift --transcripts <recorded.json> [--catalogue <file.yaml>] [--json]
      check recorded replies against the catalogue's reply shapes
  authnzerver-codegen infer --transcripts <recorded.json> [--type <name>] [--catalogue <file.yaml>]
      print the reply shapes that recorded replies support, as catalogue YAML

A catalogue can extend the package's own with extends: authnzerver: it adds request types and named types, and
replaces one of ours only where its entry says replace: true (docs/catalogue-drift.md).
`;

const HEADER_PREFIX = '// Generated from ';

export const MISSING_PEERS_MESSAGE =
  'authnzerver-codegen needs ts-morph, prettier and yaml, which are optional peer dependencies of authnzerver ' +
  '(users who only call the SDK do not install them). Install them with:\n\n  npm install --save-dev ts-morph prettier yaml\n';

async function missingPeers(names = ['ts-morph', 'prettier', 'yaml']): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    try {
      await import(name);
    } catch {
      missing.push(name);
    }
  }
  return missing;
}

type Print = (text: string) => void;

/** Runs the command; returns the exit code. Output goes to the given streams. */
export async function main(
  argv: readonly string[],
  out: Print = (text) => process.stdout.write(text),
  err: Print = (text) => process.stderr.write(text),
): Promise<number> {
  try {
    return await dispatch(argv, out, err);
  } catch (error) {
    // A problem with the input (a catalogue's name clash, say): its message names the file and the place in it.
    if (error instanceof CodegenError) {
      err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** A tool's command (tools/commands.ts), or the generator: `generate` is the default command. */
async function dispatch(argv: readonly string[], out: Print, err: Print): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'drift' || command === 'scaffold' || command === 'infer') {
    const missing = await missingPeers(['yaml']);
    if (missing.length > 0) {
      err(`missing: ${missing.join(', ')}\n${MISSING_PEERS_MESSAGE}`);
      return 2;
    }
    const { driftCommand, inferCommand, scaffoldCommand } = await import('./tools/commands.js');
    const run = { drift: driftCommand, scaffold: scaffoldCommand, infer: inferCommand }[command];
    return run(rest, out, err);
  }
  if (command === 'generate') return dispatch(rest, out, err);
  return generateCommand(argv, out, err);
}

/** The generator's options, once `--catalogue` and `--out` are known to be there. */
interface GenerateArgs {
  readonly catalogue: string;
  readonly out: string;
  readonly check: boolean;
  readonly 'runtime-import': string;
  /** The regenerate command named in the files' header. */
  readonly command?: string;
}

/** The generator's options, or its exit code when there is nothing more to do (`--help`, a usage error). */
function parseGenerateArgs(argv: readonly string[], out: Print, err: Print): GenerateArgs | number {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        catalogue: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
        'runtime-import': { type: 'string', default: 'authnzerver/runtime' },
        command: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  const { catalogue, out: outDir } = args;
  if (catalogue === undefined || outDir === undefined) {
    err(`--catalogue and --out are required\n\n${USAGE}`);
    return 2;
  }
  return { ...args, catalogue, out: outDir };
}

/** `authnzerver-codegen --catalogue … --out …`: writes the client, or with `--check` says whether it is up to date. */
async function generateCommand(argv: readonly string[], out: Print, err: Print): Promise<number> {
  const args = parseGenerateArgs(argv, out, err);
  if (typeof args === 'number') return args;
  const missing = await missingPeers();
  if (missing.length > 0) {
    err(`missing: ${missing.join(', ')}\n${MISSING_PEERS_MESSAGE}`);
    return 2;
  }
  const source = relative(process.cwd(), args.catalogue) || args.catalogue;
  const files = await generateFiles(args, source);
  const { stale, orphans } = await compareWithFolder(args.out, files);

  if (args.check) {
    if (stale.length === 0 && orphans.length === 0) {
      out(`${args.out}: up to date with ${source} (${files.size} files)\n`);
      return 0;
    }
    err(
      `${args.out} is stale: it is not what ${source} generates.\n` +
        stale.map((name) => `  changed: ${name}\n`).join('') +
        orphans.map((name) => `  no longer generated: ${name}\n`).join('') +
        'Run the generator to update it.\n',
    );
    return 1;
  }

  await mkdir(args.out, { recursive: true });
  for (const name of stale) await writeFile(join(args.out, name), files.get(name) as string);
  for (const name of orphans) await rm(join(args.out, name));
  out(
    `${args.out}: ${stale.length} written, ${orphans.length} removed, ${files.size - stale.length} unchanged\n`,
  );
  return 0;
}

/**
 * The generator's steps: load the catalogue, generate, format (loaded on demand: they need the optional peers).
 * @throws {CodegenError} for a catalogue that does not load or generate.
 */
async function generateFiles(args: GenerateArgs, source: string): Promise<Map<string, string>> {
  const [{ loadCatalogueFile }, { generate }, { formatFiles }] = await Promise.all([
    import('./generator/extend.js'),
    import('./generator/generate.js'),
    import('./generator/format.js'),
  ]);
  // A catalogue may extend the package's own (extends: authnzerver): generator/extend.ts finds and merges it.
  const { catalogue } = await loadCatalogueFile(args.catalogue, { source });
  const command =
    args.command ??
    `authnzerver-codegen --catalogue ${source} --out ${relative(process.cwd(), args.out) || args.out}`;
  return formatFiles(generate(catalogue, { runtimeImport: args['runtime-import'], command }));
}

/**
 * The generated files that the folder does not hold as they are (`stale`), and the files in it that carry our
 * header but are no longer generated (`orphans`), which are stale too.
 */
async function compareWithFolder(
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<{ stale: string[]; orphans: string[] }> {
  const existing = new Map<string, string>();
  try {
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.ts')) continue;
      const text = await readFile(join(dir, name), 'utf8');
      if (text.startsWith(HEADER_PREFIX)) existing.set(name, text);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const stale = [...files]
    .filter(([name, text]) => existing.get(name) !== text)
    .map(([name]) => name);
  const orphans = [...existing.keys()].filter((name) => !files.has(name));
  return { stale, orphans };
}
