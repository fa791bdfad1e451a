import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { specs } from '../../generated/specs.js';

/**
 * An editor completes the request types in `client.request('`: asked as an editor asks, through the TypeScript
 * language service, over this repository's tsconfig.json (where `authnzerver` is the sources) and a source file
 * that only exists in memory.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILE = join(ROOT, 'test', 'package', 'completion-in-memory.ts');
const CATALOGUE = Object.keys(specs).sort();

const SOURCE = `import { Authnzerver } from 'authnzerver';
declare const client: Authnzerver;
void client.request('', { client_ipaddr: '' });
void client.requestSync('', { client_ipaddr: '' });
void client.sync.request('', { client_ipaddr: '' });
void client.request('`;

function languageService(): ts.LanguageService {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => [FILE],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = name === FILE ? SOURCE : ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === FILE || ts.sys.fileExists(name),
    readFile: (name) => (name === FILE ? SOURCE : ts.sys.readFile(name)),
    readDirectory: (...args) => ts.sys.readDirectory(...args),
    directoryExists: (name) => ts.sys.directoryExists(name),
    getDirectories: (name) => ts.sys.getDirectories(name),
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

/** The string completions offered right after the `('` of the `n`th call (0-based) in SOURCE. */
function completionsAfter(service: ts.LanguageService, call: string, n: number): string[] {
  let at = -1;
  for (let i = 0; i <= n; i++) at = SOURCE.indexOf(`${call}('`, at + 1);
  if (at < 0) throw new Error(`no ${call}(' number ${n} in the source`);
  const position = at + call.length + 2;
  const completions = service.getCompletionsAtPosition(FILE, position, {
    triggerCharacter: "'",
    includeCompletionsWithInsertText: true,
  });
  // The text typed so far (empty) comes too: it is what `T` is inferred as.
  return (completions?.entries ?? [])
    .filter((entry) => entry.kind === ts.ScriptElementKind.string && entry.name !== '')
    .map((entry) => entry.name)
    .sort();
}

describe('the request type completes in an editor', () => {
  const service = languageService();

  it('the source (but its unfinished last line) compiles against the sources, with no build', () => {
    const lastLine = SOURCE.lastIndexOf('\n'); // the unfinished call, as typed in an editor
    const errors = service
      .getSemanticDiagnostics(FILE)
      .filter((d) => d.start === undefined || d.start < lastLine);
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  it.each([
    ['client.request', 0],
    ['client.requestSync', 0],
    ['client.sync.request', 0],
    ['client.request, the string not closed yet', 1],
  ] as const)('%s offers the 38 catalogue types', (label, n) => {
    const call = label.split(',')[0]!;
    expect(CATALOGUE).toHaveLength(38);
    expect(completionsAfter(service, call, n)).toEqual(CATALOGUE);
  });
});
