import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Type-checks files with the project's compiler options (tsconfig.json: strict, and `paths` that map `authnzerver`,
 * `authnzerver/runtime` and `authnzerver/testing` to the sources), for tests of generated code.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The diagnostics of a program made of `files` (and what they import), as text; empty when they compile.
 * @param within when given, only the diagnostics of files in this folder (the generated code and its users), so
 * that a test of generated code does not fail on unrelated work in progress elsewhere in the repository.
 */
export function typeErrors(files: readonly string[], within?: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (config === undefined) throw new Error('tsconfig.json does not parse');
  const program = ts.createProgram([...files], { ...config.options, noEmit: true });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => within === undefined || (d.file?.fileName ?? '').startsWith(within));
  return diagnostics.map((d) => {
    const where =
      d.file === undefined || d.start === undefined
        ? ''
        : `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `;
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
