/**
 * The reviewed public surface: `npm run api:update` writes it, `npm test` checks it (test/package/api-report.test.ts).
 *
 * - `api/<entry>.api.md`, one per entry point of package.json `exports`: every export of the entry, as the
 *   declarations the package ships (dist/, so `npm run build` first) print it without comments, then every type
 *   of this package that those declarations reach but the entry does not export (an options interface, say), so
 *   that changing it shows up too.
 * - `api.md`: the 38 typed methods of the client from the catalogue (schema/authnzerver.yaml, as the generator in
 *   codegen/ reads it): summary, body type, reply types, retry and deadline class; then the web layer's exports,
 *   each with the first sentence of its doc comment.
 *
 * Written by hand on the TypeScript compiler API rather than with api-extractor: one program serves all the entry
 * points at once (fast enough for every `npm test`), and the types an entry reaches without exporting them are in
 * the report, where api-extractor only warns about them.
 *
 *   tsx scripts/api-report.ts           writes the files
 *   tsx scripts/api-report.ts --check   exits 1, naming the stale files, when a file differs
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';
import { parse } from 'yaml';
import { loadCatalogue } from '../codegen/generator/catalogue.js';
import { analyse, type RequestModel } from '../codegen/generator/model.js';

/** The repository's root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The command that brings every file of the report up to date; the check's message names it. */
export const UPDATE_COMMAND = 'npm run api:update';

/** An entry point of package.json `exports`. */
export interface EntryPoint {
  /** What an app imports: `authnzerver`, `authnzerver/web`. */
  readonly specifier: string;
  /** Its ES module declarations, from the root (`dist/src/web/index.d.ts`). */
  readonly types: string;
  /** Its report, from the root (`api/web.api.md`). */
  readonly report: string;
}

type Conditions = Record<string, { types?: string } | undefined>;

/** The entry points of package.json `exports` (not `./package.json`), in their order there. */
export function entryPoints(root = ROOT): EntryPoint[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, Conditions | string>;
  };
  return Object.entries(manifest.exports).flatMap(([key, conditions]): EntryPoint[] => {
    if (typeof conditions === 'string') return [];
    const types = conditions.import?.types;
    if (types === undefined) throw new Error(`package.json exports["${key}"] has no import.types`);
    const sub = key.replace(/^\.\/?/, '');
    return [
      {
        specifier: sub === '' ? manifest.name : `${manifest.name}/${sub}`,
        types: types.replace(/^\.\//, ''),
        report: `api/${sub === '' ? manifest.name : sub}.api.md`,
      },
    ];
  });
}

/** One exported name and what it is. */
interface ExportInfo {
  readonly name: string;
  readonly kind: string;
  /** The first sentence of its doc comment, or ''. */
  readonly summary: string;
}

/** What the report of one entry point holds. */
interface EntryDigest {
  readonly entry: EntryPoint;
  readonly exports: readonly ExportInfo[];
  /** The declarations of the exports, printed without comments. */
  readonly exported: string;
  /** The declarations of this package's types that the exports reach but do not export. */
  readonly reached: string;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function isOurs(file: ts.SourceFile, root: string): boolean {
  const path = relative(root, file.fileName);
  return path.startsWith('dist/') && !path.includes('node_modules');
}

/** The statement to print for a declaration: a variable's statement, else the declaration itself. */
function printable(declaration: ts.Declaration): ts.Node {
  if (ts.isVariableDeclaration(declaration)) return declaration.parent.parent;
  return declaration;
}

/** The module a declaration re-exports from outside this package (`export * as z from 'zod/mini'`), if it does. */
function externalSource(declaration: ts.Declaration): string | undefined {
  let node: ts.Node = declaration;
  while (!ts.isSourceFile(node) && !ts.isExportDeclaration(node)) node = node.parent;
  if (!ts.isExportDeclaration(node) || node.moduleSpecifier === undefined) return undefined;
  const text = (node.moduleSpecifier as ts.StringLiteral).text;
  return text.startsWith('.') || text.startsWith('#') ? undefined : text;
}

function kindOf(symbol: ts.Symbol): string {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Enum) return 'enum';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  if (flags & ts.SymbolFlags.Interface) return 'interface';
  if (flags & ts.SymbolFlags.TypeAlias) return 'type';
  if (flags & (ts.SymbolFlags.Module | ts.SymbolFlags.ValueModule)) return 'namespace';
  return 'other';
}

function summaryOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker));
  // The first paragraph's first sentence; a paragraph that opens a list or a table ends at its colon.
  const paragraph = (text.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').trim();
  if (paragraph.startsWith('|')) return '';
  const sentence = /^(.*?\.)(\s|$)/.exec(paragraph)?.[1] ?? paragraph;
  return sentence.replace(/:$/, '.');
}

/** The symbols of this package's declarations that a node's types refer to. */
function referencedSymbols(node: ts.Node, checker: ts.TypeChecker): ts.Symbol[] {
  const found: ts.Symbol[] = [];
  const visit = (child: ts.Node): void => {
    let at: ts.Node | undefined;
    if (ts.isTypeReferenceNode(child)) at = child.typeName;
    else if (ts.isExpressionWithTypeArguments(child)) at = child.expression;
    else if (ts.isTypeQueryNode(child)) at = child.exprName;
    else if (ts.isImportTypeNode(child)) at = child.qualifier;
    if (at !== undefined) {
      const symbol = checker.getSymbolAtLocation(at);
      if (symbol !== undefined) found.push(symbol);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function resolve(symbol: ts.Symbol, checker: ts.TypeChecker): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** Reads the exports of each entry point, and the declarations they reach, from one program over all of them. */
export function digest(root = ROOT): EntryDigest[] {
  const entries = entryPoints(root);
  const missing = entries.filter((entry) => !existsSync(join(root, entry.types)));
  if (missing.length > 0) {
    throw new Error(
      `dist/ is not built (${missing.map((e) => e.types).join(', ')} missing): run \`npm run build\` first (\`npm test\` and \`${UPDATE_COMMAND}\` do)`,
    );
  }
  const program = ts.createProgram(
    entries.map((entry) => join(root, entry.types)),
    {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
  );
  const checker = program.getTypeChecker();
  return entries.map((entry) => {
    const file = program.getSourceFile(join(root, entry.types));
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    if (file === undefined || moduleSymbol === undefined) {
      throw new Error(`${entry.types}: TypeScript found no module there`);
    }
    const exportedTargets = new Set<ts.Symbol>();
    const exports: ExportInfo[] = [];
    const exportedText: string[] = [];
    const queue: ts.Symbol[] = [];
    const symbols = checker
      .getExportsOfModule(moduleSymbol)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const symbol of symbols) {
      const target = resolve(symbol, checker);
      exportedTargets.add(target);
      exports.push({
        name: symbol.name,
        kind: kindOf(target),
        summary: summaryOf(target, checker),
      });
      const first = symbol.declarations?.[0];
      const external = first && externalSource(first);
      if (external !== undefined) {
        exportedText.push(`export { ${symbol.name} } from '${external}';`);
        exports[exports.length - 1] = { name: symbol.name, kind: 'namespace', summary: external };
        continue;
      }
      const declarations = (target.declarations ?? []).filter((d) =>
        isOurs(d.getSourceFile(), root),
      );
      const alias = target.name === symbol.name ? '' : `// exported as ${symbol.name}\n`;
      for (const declaration of declarations) {
        const node = printable(declaration);
        exportedText.push(
          alias + printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile()),
        );
        queue.push(...referencedSymbols(node, checker));
      }
    }
    // The types of this package that the exports reach without exporting them, and those they reach in turn.
    const reached = new Map<ts.Symbol, string>();
    while (queue.length > 0) {
      const target = resolve(queue.pop() as ts.Symbol, checker);
      if (exportedTargets.has(target) || reached.has(target)) continue;
      const declarations = (target.declarations ?? []).filter(
        (d) => isOurs(d.getSourceFile(), root) && !ts.isTypeParameterDeclaration(d),
      );
      if (declarations.length === 0) continue;
      const text = declarations
        .map((declaration) => {
          const node = printable(declaration);
          queue.push(...referencedSymbols(node, checker));
          return printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile());
        })
        .join('\n');
      reached.set(target, text);
    }
    const reachedText = [...reached.entries()]
      .sort(([a, textA], [b, textB]) =>
        a.name !== b.name ? (a.name < b.name ? -1 : 1) : textA < textB ? -1 : 1,
      )
      .map(([, text]) => text);
    return {
      entry,
      exports,
      exported: exportedText.join('\n\n'),
      reached: reachedText.join('\n\n'),
    };
  });
}

const GENERATED = `Generated by \`${UPDATE_COMMAND}\`; do not edit. \`npm test\` fails when it is out of date.`;

function reportOf(d: EntryDigest): string {
  return [
    `# API report: \`${d.entry.specifier}\``,
    '',
    `${GENERATED} The declarations that \`${d.entry.specifier}\` ships (\`${d.entry.types}\`), without their comments.`,
    '',
    '## Exports',
    '',
    '```ts',
    d.exported,
    '```',
    '',
    '## Reached from the exports, not exported',
    '',
    d.reached === ''
      ? 'None.'
      : [
          'Types of this package that the exports use. Changing one changes the surface.',
          '',
          '```ts',
          d.reached,
          '```',
        ].join('\n'),
    '',
  ].join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function methodRow(model: RequestModel): string {
  const r = model.request;
  return `| \`${r.method}\` | \`${r.type}\` | ${cell(r.summary)} | \`${model.body}\` | \`${model.success}\` / \`${model.failure}\` | ${r.sideEffects} | ${r.timeout} |`;
}

/** The text of api.md, before prettier. */
function apiMarkdown(digests: readonly EntryDigest[], root: string): string {
  const catalogueFile = 'schema/authnzerver.yaml';
  const catalogue = loadCatalogue(
    parse(readFileSync(join(root, catalogueFile), 'utf8')),
    catalogueFile,
  );
  const model = analyse(catalogue, { runtimeImport: '', command: '' });
  const web = digests.filter((d) => d.entry.types.startsWith('dist/src/web/'));
  const lines = [
    '# API',
    '',
    `The public surface of \`authnzerver\`. ${GENERATED} The methods come from the catalogue (\`${catalogueFile}\`, read by the generator in \`codegen/\`), the rest from the declarations the package ships. Each entry point's full declarations are in its report under \`api/\`.`,
    '',
    '## Entry points',
    '',
    '| import | report |',
    '| --- | --- |',
    ...digests.map((d) => `| \`${d.entry.specifier}\` | [${d.entry.report}](${d.entry.report}) |`),
    '',
    `## \`${catalogue.className}\`: the typed client`,
    '',
    `\`import { ${catalogue.className} } from 'authnzerver'\`. ${model.requests.length} methods, one per request type of the catalogue. Each takes its body (with the end user's \`client_ipaddr\`) and optional \`CallOptions\`, and returns \`Promise<ResponseTuple<Success, Failure>>\`; \`client.sync.<method>\` returns the tuple itself. The body and reply types are exported from \`authnzerver\`.`,
    '',
    'Retry class: a **read** only reads, so it may be retried after a transient failure; a **write** changes state on the server, so it is retried only when it provably never left. Deadline class: **default** is `timeouts.request`; **login** is `timeouts.login` (the server delays failed log-ins).',
    '',
    '| method | request type | summary | body | reply: success / failure | retry | deadline |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...model.requests.map(methodRow),
    '',
    '## The web layer',
    '',
    'Each export with the first sentence of its doc comment.',
  ];
  for (const d of web) {
    lines.push(
      '',
      `### \`${d.entry.specifier}\``,
      '',
      '| export | kind | summary |',
      '| --- | --- | --- |',
    );
    for (const e of d.exports)
      lines.push(`| \`${e.name}\` | ${e.kind} | ${cell(e.summary) || '—'} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Every file of the report, by its path from the root, as it should be. api.md goes through prettier, as every
 * Markdown file of the repository; the reports do not (prettier takes seconds over their code, and they are
 * in .prettierignore): they are as TypeScript's printer writes them.
 */
export async function expectedFiles(root = ROOT): Promise<Map<string, string>> {
  const digests = digest(root);
  const options = { ...(await resolveConfig(join(root, 'api.md'))), parser: 'markdown' };
  const files = new Map<string, string>();
  for (const d of digests) files.set(d.entry.report, reportOf(d));
  files.set('api.md', await format(apiMarkdown(digests, root), options));
  return files;
}

/**
 * The files of the report that are missing or differ from what `expectedFiles` makes, in its order; with
 * `write`, it also writes them.
 */
export async function staleFiles(root = ROOT, write = false): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, text] of await expectedFiles(root)) {
    const file = join(root, path);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    stale.push(path);
    if (write) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  return stale;
}

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(
      `api-report: unknown argument ${unknown.join(' ')} (the only option is --check)\n`,
    );
    return 2;
  }
  if (args.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length === 0) return 0;
    process.stderr.write(
      `The public API changed, or its report is out of date: ${stale.join(', ')}. Run \`${UPDATE_COMMAND}\`, review the diff and commit it.\n`,
    );
    return 1;
  }
  const written = await staleFiles(ROOT, true);
  process.stdout.write(
    written.length === 0 ? 'The API reports were up to date.\n' : `Wrote ${written.join(', ')}.\n`,
  );
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
