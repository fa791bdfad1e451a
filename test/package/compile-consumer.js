// Compiles consumer apps, as test/package/consumer.test.ts asks: one process per TypeScript version, the
// cells one after the other. Usage: node compile-consumer.js TYPESCRIPT_DIR TSCONFIG... Prints one line of
// JSON per tsconfig: { tsconfig, version, declarations, diagnostics: [{ file, line, code, message }] }: the
// package's declaration files in the program, and the diagnostics, each file relative to the tsconfig's folder.
//
// What `tsc -p TSCONFIG` reports, but for the files that are the app's or the package's: the app's files, the
// package's declarations and those of its dependencies (all under `skipLibCheck: false`), and the program's
// global and option errors. The two sets of declarations that are not the package's and do not depend on it,
// TypeScript's own lib files and @types/node, are not checked again in every cell. A tsconfig that emits
// (no `noEmit`, as the one `tsc --init` writes) also gets the errors of emitting declarations, as `tsc` does.
//
// TypeScript 7 (the native compiler) has no such API: its `tsc` runs once per tsconfig instead
// (`--pretty false --listFiles`, emitting, if at all, into a throw-away folder), and its output is read back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';

const [typescriptDir, ...tsconfigs] = process.argv.slice(2);
/** The compiler API of TypeScript 5; undefined for TypeScript 7, whose package has none (only its `tsc`). */
const ts = native(typescriptDir) ? undefined : createRequire(import.meta.url)(typescriptDir);

function native(dir) {
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return Number(version.split('.')[0]) >= 7;
}

const notOurs = (fileName) =>
  /[\\/]node_modules[\\/]typescript[\\/]lib[\\/]/.test(fileName) ||
  /[\\/]node_modules[\\/]@typescript[\\/]typescript-[^\\/]+[\\/]lib[\\/]/.test(fileName) ||
  /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(fileName);

/** The package's own declaration files among a program's files, e.g. `dist/cjs/src/index.d.cts`. */
const packageFiles = (fileNames) =>
  fileNames
    .map((fileName) => /[\\/]node_modules[\\/]authnzerver[\\/](.*)$/.exec(fileName)?.[1])
    .filter((file) => file !== undefined)
    .map((file) => file.replaceAll('\\', '/'));

if (ts === undefined) {
  for (const tsconfig of tsconfigs)
    process.stdout.write(`${JSON.stringify(compileNative(tsconfig))}\n`);
  process.exit(0);
}

/** One tsconfig through TypeScript 7's `tsc`: its diagnostics and files, parsed from its plain output. */
function compileNative(tsconfig) {
  const out = mkdtempSync(join(tmpdir(), 'authnzerver-tsc7-'));
  let stdout;
  try {
    const tsc = join(typescriptDir, 'bin', 'tsc');
    const args = [tsc, '-p', tsconfig, '--pretty', 'false', '--listFiles', '--outDir', out];
    try {
      stdout = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    } catch (error) {
      if (typeof error.stdout !== 'string') throw error; // it did not run: not a type error
      stdout = error.stdout;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const { version } = JSON.parse(readFileSync(join(typescriptDir, 'package.json'), 'utf8'));
  const root = dirname(resolve(tsconfig));
  const diagnostics = [];
  const files = [];
  for (const line of stdout.split('\n')) {
    const located = /^(.+?)\((\d+),\d+\): error TS(\d+): (.*)$/.exec(line);
    const global = /^error TS(\d+): (.*)$/.exec(line);
    if (located !== null) {
      const [, file, at, code, message] = located;
      diagnostics.push({ file: resolve(file), line: Number(at), code: Number(code), message });
    } else if (global !== null) {
      diagnostics.push({ file: null, line: null, code: Number(global[1]), message: global[2] });
    } else if (/^\s/.test(line) && diagnostics.length > 0) {
      diagnostics[diagnostics.length - 1].message += `\n${line.trim()}`;
    } else if (line.trim() !== '') {
      files.push(line.trim());
    }
  }
  return {
    tsconfig,
    version,
    declarations: packageFiles(files),
    diagnostics: diagnostics
      .filter((d) => d.file === null || !notOurs(d.file))
      .map((d) => ({
        ...d,
        file: d.file === null ? null : relative(root, d.file).replaceAll('\\', '/'),
      })),
  };
}

for (const tsconfig of tsconfigs) {
  const configErrors = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic),
  });
  const diagnostics = [...configErrors];
  /** The package's own declaration files in the program: which build's types the app resolved. */
  let declarations = [];
  if (parsed !== undefined) {
    diagnostics.push(...parsed.errors);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    diagnostics.push(
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getSyntacticDiagnostics(),
    );
    declarations = packageFiles(program.getSourceFiles().map((file) => file.fileName));
    const emits = parsed.options.noEmit !== true && parsed.options.declaration === true;
    for (const file of program.getSourceFiles()) {
      if (notOurs(file.fileName)) continue;
      diagnostics.push(...program.getSemanticDiagnostics(file));
      if (emits) diagnostics.push(...program.getDeclarationDiagnostics(file));
    }
  }
  const out = diagnostics.map((d) => ({
    file:
      d.file === undefined
        ? null
        : relative(dirname(resolve(tsconfig)), d.file.fileName).replaceAll('\\', '/'),
    line:
      d.file === undefined || d.start === undefined
        ? null
        : d.file.getLineAndCharacterOfPosition(d.start).line + 1,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
  process.stdout.write(
    `${JSON.stringify({ tsconfig, version: ts.version, declarations, diagnostics: out })}\n`,
  );
}
