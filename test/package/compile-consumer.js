// Compiles consumer apps, as test/package/consumer.test.ts asks: one process per TypeScript version, the
// cells one after the other. Usage: node compile-consumer.js TYPESCRIPT_DIR TSCONFIG... Prints one line of
// JSON per tsconfig: { tsconfig, version, declarations, diagnostics: [{ file, line, code, message }] }: the
// package's declaration files in the program, and the diagnostics, each file relative to the tsconfig's folder.
//
// What `tsc -p TSCONFIG` reports, but for the files that are the app's or the package's: the app's files, the
// package's declarations and those of its dependencies (all under `skipLibCheck: false`), and the program's
// global and option errors. The two sets of declarations that are not the package's and do not depend on it,
// TypeScript's own lib files and @types/node, are not checked again in every cell.
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import process from 'node:process';

const [typescriptDir, ...tsconfigs] = process.argv.slice(2);
const ts = createRequire(import.meta.url)(typescriptDir);

const notOurs = (fileName) =>
  /[\\/]node_modules[\\/]typescript[\\/]lib[\\/]/.test(fileName) ||
  /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(fileName);

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
    declarations = program
      .getSourceFiles()
      .map((file) => /[\\/]node_modules[\\/]authnzerver[\\/](.*)$/.exec(file.fileName)?.[1])
      .filter((file) => file !== undefined)
      .map((file) => file.replaceAll('\\', '/'));
    for (const file of program.getSourceFiles()) {
      if (!notOurs(file.fileName)) diagnostics.push(...program.getSemanticDiagnostics(file));
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
