import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every optional option an app writes has its default in JSDoc (`@default`), so an editor shows it on hover, as
 * the docs' option tables do: the client's and each call's, the web layer's and each adapter's, the shared
 * store's and the test server's.
 */

const FILES = [
  'src/client-options.ts',
  'src/core/call-options.ts',
  'src/health.ts',
  'src/web/options.ts',
  'src/web/flow-options.ts',
  'src/web/redis-store.ts',
  'src/web/adapters/express.ts',
  'src/web/adapters/fastify.ts',
  'src/web/adapters/hono.ts',
  'src/web/adapters/next-options.ts',
  'src/web/adapters/react-router.ts',
  'src/web/adapters/shared.ts',
  'src/web/adapters/sveltekit.ts',
  'src/testing/test-server.ts',
];
/** The options interfaces: named `…Options`, and the session lifetimes of `WebAuthOptions.sessions`. */
const isOptions = (name: string): boolean =>
  name.endsWith('Options') || name === 'SessionLifetimes';

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
    if (!ts.isInterfaceDeclaration(node) || !isOptions(node.name.text)) return;
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
      expect(checked).toBeGreaterThan(0);
      expect(missing).toEqual([]);
    });
  }
});
