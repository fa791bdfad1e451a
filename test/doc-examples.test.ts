import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { typeErrors } from './helpers/compile.js';

/**
 * The examples of README.md and docs/*.md that take the end user's address from an Express request compile
 * against Express 5's types, where `req.ip` is `string | undefined` (issue 20, item 7): an example that passes
 * `req.ip` as `client_ipaddr` does not. Each such `ts` block is compiled as a module with the repository's
 * compiler options (strict, exactOptionalPropertyTypes), `authnzerver` resolving to the sources; the names an
 * excerpt takes from its surroundings (`req`, `res`, `session_token`, ...) are declared after it, unless it
 * declares them itself.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((file) => `docs/${file}`)].filter(
  (file) => file.endsWith('.md'),
);

/** What an excerpt may use without declaring it: the handler's request and response, and its inputs. */
const SURROUNDINGS: Readonly<Record<string, string>> = {
  req: "declare const req: import('express').Request;",
  res: "declare const res: import('express').Response;",
  client: "declare const client: import('authnzerver').Authnzerver;",
  session_token: 'declare const session_token: string;',
  email: 'declare const email: string;',
  password: 'declare const password: string;',
  clientIp: "declare function clientIp(req: import('express').Request): string;",
};

/** Whether an excerpt declares `name` itself (a variable, a function, an import). */
function declares(code: string, name: string): boolean {
  return new RegExp(
    `\\b(?:const|let|var|function|class)\\s+${name}\\b|\\bimport\\b[^;]*\\b${name}\\b[^;]*\\bfrom\\b`,
  ).test(code);
}

/** The `ts` blocks of a Markdown file that read the client's address from an Express request. */
function examples(file: string): { readonly line: number; readonly code: string }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: { line: number; code: string }[] = [];
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const code = match[1] ?? '';
    if (!/\breq\.ip\b|\bclientIp\(req\)/.test(code)) continue;
    found.push({ line: text.slice(0, match.index).split('\n').length, code });
  }
  return found;
}

mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const tmp = mkdtempSync(join(ROOT, '.tmp', 'doc-examples-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('the examples that pass the end user’s address from an Express request', () => {
  const all = DOCS.flatMap((file) => examples(file).map((example) => ({ file, ...example })));

  it('are found (README.md: the client’s use, request(), the response tuple)', () => {
    expect(all.filter((example) => example.file === 'README.md').length).toBeGreaterThanOrEqual(3);
  });

  it('compile against Express 5’s `req.ip: string | undefined`', () => {
    const files = all.map((example, i) => {
      const prelude = Object.entries(SURROUNDINGS)
        .filter(([name]) => new RegExp(`\\b${name}\\b`).test(example.code))
        .filter(([name]) => !declares(example.code, name))
        .map(([, declaration]) => declaration);
      const path = join(tmp, `example-${i}.ts`);
      writeFileSync(
        path,
        `${example.code}\n${prelude.join('\n')}\nexport {};\n// ${example.file}:${example.line}\n`,
      );
      return path;
    });
    const errors = typeErrors(files, tmp).map((error) => {
      const index = /example-(\d+)\.ts/.exec(error)?.[1];
      const example = index === undefined ? undefined : all[Number(index)];
      return example === undefined ? error : `${example.file}:${example.line} ${error}`;
    });
    expect(errors).toEqual([]);
  }, 60_000);
});
