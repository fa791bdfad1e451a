import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The code blocks of the documentation (README.md and docs/*.md), with what each needs to compile: its hidden
 * prelude and the names it takes from its surroundings. CONTRIBUTING.md ("Code blocks in the docs") describes the
 * conventions for writers.
 *
 * - A fence's language picks what is done: `ts` and `tsx` blocks are compiled as ES modules, `js` blocks as
 *   CommonJS (`.cjs`) with type checking; the others (`sh`, `yaml`, `json`, `nginx`, `text`, ...) are not code
 *   this package can check, and `astro` is a component whose frontmatter needs Astro's compiler (EXEMPT says why).
 * - An HTML comment right before the fence (blank lines between are allowed) gives the block its context, hidden
 *   from readers: `<!-- prelude ... -->` holds TypeScript put before the block's code (imports, `declare const`),
 *   and `<!-- postlude ... -->` TypeScript put after it (to close a function the prelude opened),
 *   and `<!-- run -->` makes the block run, after it compiled, against the test server (AUTHNZERVER_URL and
 *   AUTHNZERVER_SECRET name it). Both may be in one comment: `<!-- run prelude ... -->`. A block that imports a
 *   file of the app (`./auth.js`, `$lib/server/auth`) gets it from `<!-- module ./auth.ts ... -->`, one comment
 *   per file, with the file's TypeScript, or `<!-- module ./auth.ts from examples/recipes/koa/auth.ts -->`, a
 *   file of this repository.
 * - Blocks are compiled as a bundler-built app resolves them (`moduleResolution: bundler`, `module: preserve`):
 *   frameworks' file-relative imports such as `./lib/auth.server` resolve as their build resolves them.
 * - Names an excerpt commonly takes from a handler (SURROUNDINGS) are declared for it when it uses them and
 *   declares them nowhere itself.
 */

export const DOC_ROOT = new URL('../../', import.meta.url);

/** Fence languages that are not compiled, with the reason. */
export const EXEMPT: Readonly<Record<string, string>> = {
  sh: 'shell commands',
  json: 'data',
  jsonc:
    'configuration with comments (wrangler.jsonc; the recipe test runs its bindings in Miniflare)',
  yaml: 'data (the catalogue format is checked by its own tests)',
  nginx: 'nginx configuration (test/client/tls.test.ts runs it)',
  text: 'output',
  astro:
    "an Astro component: its frontmatter needs Astro's compiler (examples/recipes/astro is built by its test)",
  '': 'no language: output or a tree',
};

/** The languages that are compiled. */
export const COMPILED = ['ts', 'tsx', 'js'] as const;

/**
 * What an excerpt may use without declaring or importing it: the package's most used names, the test runner's,
 * a handler's request and response, and its inputs. Each is added only to a block that uses the name and does
 * not declare it itself (or in its prelude).
 */
export const SURROUNDINGS: Readonly<Record<string, string>> = {
  Authnzerver: "import { Authnzerver } from 'authnzerver';",
  generateFernetKey: "import { generateFernetKey } from 'authnzerver';",
  createWebAuth: "import { createWebAuth } from 'authnzerver/web';",
  consoleMailer: "import { consoleMailer } from 'authnzerver/web';",
  memoryMailer: "import { memoryMailer } from 'authnzerver/web';",
  createTestServer: "import { createTestServer } from 'authnzerver/testing';",
  instrumentAuthnzerver: "import { instrumentAuthnzerver } from 'authnzerver/otel';",
  describe: "import { describe } from 'vitest';",
  it: "import { it } from 'vitest';",
  expect: "import { expect } from 'vitest';",
  beforeAll: "import { beforeAll } from 'vitest';",
  afterAll: "import { afterAll } from 'vitest';",
  req: "declare const req: import('express').Request;",
  res: "declare const res: import('express').Response;",
  client: "declare const client: import('authnzerver').Authnzerver;",
  auth: "declare const auth: import('authnzerver/web').WebAuth;",
  session_token: 'declare const session_token: string;',
  email: 'declare const email: string;',
  password: 'declare const password: string;',
  clientIp: "declare function clientIp(req: import('express').Request): string;",
};

/** One code block of a Markdown file. */
export interface DocBlock {
  /** The file, relative to the repository: `README.md`, `docs/web.md`. */
  readonly file: string;
  /** The line of the opening fence, from 1. */
  readonly line: number;
  /** The fence's language, '' when none. */
  readonly lang: string;
  /** The block's code, as readers see it. */
  readonly code: string;
  /** The hidden prelude, '' when none. */
  readonly prelude: string;
  /** The hidden postlude, put after the code (to close what the prelude opened), '' when none. */
  readonly postlude: string;
  /** Whether the block runs against the test server. */
  readonly run: boolean;
  /**
   * The hidden modules the block imports (`<!-- module ./auth.ts ... -->`), by path: relative to the block, or a
   * bare one (`$lib/server/auth.ts`) put in the block's node_modules.
   */
  readonly modules: Readonly<Record<string, string>>;
}

/** The Markdown files whose blocks are checked: README.md and every .md under docs/. */
export function docFiles(): string[] {
  const docs = readdirSync(new URL('docs/', DOC_ROOT), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file.split('\\').join('/')}`)
    .sort();
  return ['README.md', ...docs];
}

/** The fenced blocks of one Markdown text, with their hidden comments. */
export function parseBlocks(file: string, text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const fence = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of text.matchAll(fence)) {
    const before = text.slice(0, match.index);
    let prelude = '';
    let postlude = '';
    let run = false;
    const modules: Record<string, string> = {};
    // The comments right before the fence, blank lines allowed between them.
    let rest = before;
    for (;;) {
      const comment =
        /<!--\s*((?:run|prelude|postlude|module)\b(?:(?!<!--|-->)[\s\S])*)-->\s*$/.exec(rest);
      if (comment === null) break;
      rest = rest.slice(0, comment.index);
      let body = comment[1] ?? '';
      if (/^run\b/.test(body)) {
        run = true;
        body = body.replace(/^run\b\s*/, '');
      }
      const copy = /^module\s+(\S+)\s+from\s+(\S+)\s*$/.exec(body);
      const module = /^module\s+(\S+)\s*\n([\s\S]*)$/.exec(body);
      if (copy !== null) {
        modules[copy[1] ?? ''] = readFileSync(new URL(copy[2] ?? '', DOC_ROOT), 'utf8');
      } else if (module !== null) modules[module[1] ?? ''] = (module[2] ?? '').trim();
      else if (body.startsWith('postlude')) postlude = body.replace(/^postlude:?/, '').trim();
      else if (body.startsWith('prelude')) prelude = body.replace(/^prelude:?/, '').trim();
    }
    blocks.push({
      file,
      line: before.split('\n').length,
      lang: match[1] ?? '',
      code: match[2] ?? '',
      prelude,
      postlude,
      run,
      modules,
    });
  }
  return blocks;
}

/** Every block of the documentation. */
export function allBlocks(): DocBlock[] {
  return docFiles().flatMap((file) =>
    parseBlocks(file, readFileSync(join(new URL('.', DOC_ROOT).pathname, file), 'utf8')),
  );
}

/** Whether `code` declares `name` itself (a variable, a function, a class, a type or an import). */
export function declares(code: string, name: string): boolean {
  return new RegExp(
    `\\b(?:const|let|var|function|class|interface|type)\\s+${name}\\b|\\bimport\\b[^;]*\\b${name}\\b[^;]*\\bfrom\\b|[{,]\\s*${name}\\s*[,}][^;=]*=(?!>)`,
  ).test(code);
}

/** The source a block is compiled as: its prelude, its code, the surroundings it uses, and `export {}`. */
export function moduleSource(block: DocBlock): string {
  const both = `${block.prelude}\n${block.code}\n${block.postlude}`;
  const surroundings =
    block.lang === 'js'
      ? []
      : Object.entries(SURROUNDINGS)
          .filter(([name]) => new RegExp(`\\b${name}\\b`).test(block.code))
          .filter(([name]) => !declares(both, name))
          .map(([, declaration]) => declaration);
  const tail = block.lang === 'js' ? '' : 'export {};\n';
  return `${surroundings.join('\n')}\n${block.prelude}\n${block.code}\n${block.postlude}\n${tail}// ${block.file}:${block.line}\n`;
}
