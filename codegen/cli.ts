import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

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

/** Runs the command; returns the exit code. Output goes to the given streams. */
export async function main(
  argv: readonly string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
  err: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
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
  if (command === 'generate') return main(rest, out, err);
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
  if (args.catalogue === undefined || args.out === undefined) {
    err(`--catalogue and --out are required\n\n${USAGE}`);
    return 2;
  }

  const missing = await missingPeers();
  if (missing.length > 0) {
    err(`missing: ${missing.join(', ')}\n${MISSING_PEERS_MESSAGE}`);
    return 2;
  }
  const [{ loadCatalogueFile }, { CatalogueError }, { generate }, { formatFiles }] =
    await Promise.all([
      import('./generator/extend.js'),
      import('./generator/catalogue.js'),
      import('./generator/generate.js'),
      import('./generator/format.js'),
    ]);

  const source = relative(process.cwd(), args.catalogue) || args.catalogue;
  let files: Map<string, string>;
  try {
    // A catalogue may extend the package's own (extends: authnzerver): generator/extend.ts finds and merges it.
    const { catalogue } = await loadCatalogueFile(args.catalogue, { source });
    const command =
      args.command ??
      `authnzerver-codegen --catalogue ${source} --out ${relative(process.cwd(), args.out) || args.out}`;
    files = await formatFiles(
      generate(catalogue, { runtimeImport: args['runtime-import'], command }),
    );
  } catch (error) {
    if (error instanceof CatalogueError) {
      err(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }

  // Files in the folder that carry our header but are no longer generated are stale too.
  const existing = new Map<string, string>();
  try {
    for (const name of await readdir(args.out)) {
      if (!name.endsWith('.ts')) continue;
      const text = await readFile(join(args.out, name), 'utf8');
      if (text.startsWith(HEADER_PREFIX)) existing.set(name, text);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const stale = [...files]
    .filter(([name, text]) => existing.get(name) !== text)
    .map(([name]) => name);
  const orphans = [...existing.keys()].filter((name) => !files.has(name));

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
  const outDir = args.out;
  for (const name of stale) await writeFile(join(outDir, name), files.get(name) as string);
  for (const name of orphans) await rm(join(outDir, name));
  out(
    `${args.out}: ${stale.length} written, ${orphans.length} removed, ${files.size - stale.length} unchanged\n`,
  );
  return 0;
}
