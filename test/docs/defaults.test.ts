import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every optional option an app writes has its default in JSDoc (`@default`), so an editor shows it on hover, as
 * the docs' option tables do: the client's (`AuthnzerverOptions` and the objects it nests) and the web layer's
 * (`WebAuthOptions` and the objects it nests).
 */

const FILES = ['src/client-options.ts', 'src/web/options.ts'];
/** Interfaces that are not options an app sets (a message the app sends, a logger's shape). */
const NOT_OPTIONS = new Set(['MailMessage', 'WebLogger', 'Mailer']);

/** `Interface.property` for each optional property of an exported interface without a `@default` tag. */
function missingDefaults(file: string): { checked: number; missing: string[] } {
  const path = fileURLToPath(new URL(`../../${file}`, import.meta.url));
  const source = ts.createSourceFile(
    path,
    ts.sys.readFile(path) ?? '',
    ts.ScriptTarget.Latest,
    true,
  );
  const missing: string[] = [];
  let checked = 0;
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || NOT_OPTIONS.has(node.name.text)) return;
    if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || member.questionToken === undefined) continue;
      checked += 1;
      const tags = ts.getJSDocTags(member).map((tag) => tag.tagName.text);
      if (!tags.includes('default'))
        missing.push(`${node.name.text}.${member.name.getText(source)}`);
    }
  });
  return { checked, missing };
}

describe('the options’ JSDoc', () => {
  for (const file of FILES) {
    it(`gives every optional option of ${file} its @default`, () => {
      const { checked, missing } = missingDefaults(file);
      expect(checked).toBeGreaterThan(10);
      expect(missing).toEqual([]);
    });
  }
});
