import type { Options } from 'prettier';

/**
 * The one formatting step, shared by the CLI and the golden tests: prettier with the project's settings (the
 * same as .prettierrc.json, which a test keeps equal), so generated files pass `prettier --check`.
 */
export const PRETTIER_OPTIONS = {
  printWidth: 100,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
} as const satisfies Options;

/** Formats every generated file; the map keeps its order. */
export async function formatFiles(
  files: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const prettier = await import('prettier');
  const out = new Map<string, string>();
  for (const [path, text] of files) {
    out.set(path, await prettier.format(text, { ...PRETTIER_OPTIONS, parser: 'typescript' }));
  }
  return out;
}
