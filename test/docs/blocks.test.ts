import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createTestServer } from '../../src/testing/index.js';
import { allBlocks, COMPILED, type DocBlock, EXEMPT, moduleSource, parseBlocks } from './blocks.js';
import { checkBlocks, packedFolder } from './compile.js';

/**
 * Every code block of README.md and docs/ compiles, strict and with `skipLibCheck: false`, against the package as
 * `npm pack` makes it (test/docs/compile.ts); the blocks marked `<!-- run -->` then run against the test server.
 * CONTRIBUTING.md ("Code blocks in the docs") says how to add one.
 */

const blocks = allBlocks();
const compiled = blocks.filter((block) => (COMPILED as readonly string[]).includes(block.lang));

describe('the code blocks of the docs', () => {
  it('each have a language that is compiled or exempt for a stated reason', () => {
    const unknown = blocks
      .filter((block) => !(COMPILED as readonly string[]).includes(block.lang))
      .filter((block) => EXEMPT[block.lang] === undefined)
      .map((block) => `${block.file}:${block.line} \`\`\`${block.lang}`);
    expect(unknown).toEqual([]);
    expect(compiled.length).toBeGreaterThan(40);
  });

  it('reads a block’s hidden prelude and run marker', () => {
    const text = [
      'Some prose.',
      '',
      '<!-- run prelude',
      "import { Authnzerver } from 'authnzerver';",
      '-->',
      '',
      '```ts',
      'const client = new Authnzerver();',
      '```',
      '',
      '```ts',
      'client;',
      '```',
    ].join('\n');
    const [first, second] = parseBlocks('x.md', text);
    expect(first).toMatchObject({
      line: 7,
      lang: 'ts',
      run: true,
      prelude: "import { Authnzerver } from 'authnzerver';",
    });
    expect(second).toMatchObject({ line: 11, run: false, prelude: '' });
    // `client` is a surrounding name: declared for the block that uses it without declaring it.
    expect(moduleSource(second as DocBlock)).toContain(
      "declare const client: import('authnzerver')",
    );
    expect(moduleSource(first as DocBlock)).not.toContain('declare const client');
  });

  it('compile against the packed package, strict, with skipLibCheck false', async () => {
    const result = await checkBlocks(compiled);
    expect(result.errors).toEqual([]);
  }, 600_000);

  it('fail on a misspelt option, with the Markdown file and line', async () => {
    const [wrong] = parseBlocks(
      'docs/x.md',
      [
        'Prose.',
        '',
        '<!-- prelude',
        "import type { AuthnzerverOptions } from 'authnzerver';",
        '-->',
        '',
        '```ts',
        'const ok: AuthnzerverOptions = { timeouts: { request: 1000 } };',
        'const misspelt: AuthnzerverOptions = { timeouts: { requst: 1000 } };',
        '```',
      ].join('\n'),
    );
    const result = await checkBlocks([wrong as DocBlock], true);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^docs\/x\.md:9: .*'requst'/);
  }, 600_000);

  it('that are marked to run, run against the test server and exit 0', async () => {
    const runnable = compiled.filter((block) => block.run);
    expect(runnable.length).toBeGreaterThanOrEqual(2);
    const dir = await packedFolder();
    const server = await createTestServer({ loginBackoff: { scale: 0 } });
    try {
      for (const [index, block] of runnable.entries()) {
        const js = ts.transpileModule(moduleSource(block), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        mkdirSync(join(dir, 'run'), { recursive: true });
        const path = join(dir, 'run', `${index}.mjs`);
        writeFileSync(path, js);
        const child = await promisify(execFile)(process.execPath, [path], {
          cwd: dir,
          env: { ...process.env, AUTHNZERVER_URL: server.url, AUTHNZERVER_SECRET: server.secret },
          timeout: 60_000,
        }).catch((error: unknown) => error as { code: number; stderr: string; stdout: string });
        expect({
          block: `${block.file}:${block.line}`,
          exit: 'code' in child ? child.code : 0,
        }).toEqual({
          block: `${block.file}:${block.line}`,
          exit: 0,
        });
      }
    } finally {
      await server.close();
    }
  }, 600_000);
});
