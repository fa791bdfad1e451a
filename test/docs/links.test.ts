import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docFiles } from './blocks.js';

/**
 * The README and docs/ link to files that exist and to headings that exist, so moving a section between pages
 * cannot leave a dead link; and each page of docs/ opens with one line on who it is for, and is in the index.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A Markdown text without its code blocks. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```$/gm, '');
}

/** The anchors GitHub makes for a file's headings. */
function anchors(file: string): Set<string> {
  const text = prose(readFileSync(join(ROOT, file), 'utf8'));
  return new Set(
    [...text.matchAll(/^#+ (.*)$/gm)].map((match) =>
      (match[1] ?? '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\- _]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('the docs’ links and pages', () => {
  it('link to files and headings that exist', () => {
    const dead: string[] = [];
    for (const file of docFiles()) {
      const text = prose(readFileSync(join(ROOT, file), 'utf8'));
      for (const [, link = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(link)) continue;
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? file : normalize(join(dirname(file), path));
        if (!existsSync(join(ROOT, target))) dead.push(`${file}: ${link}`);
        else if (anchor !== undefined && target.endsWith('.md') && !anchors(target).has(anchor)) {
          dead.push(`${file}: ${link} (no such heading)`);
        }
      }
    }
    expect(dead).toEqual([]);
  });

  it('each open with who they are for, and are listed in docs/README.md', () => {
    const index = readFileSync(join(ROOT, 'docs/README.md'), 'utf8');
    const wrong: string[] = [];
    for (const file of docFiles().filter((f) => f.startsWith('docs/'))) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      if (!lines[0]?.startsWith('# ') || !/^\*\*For\*\* /.test(lines[2] ?? '')) {
        wrong.push(`${file}: line 3 is not "**For** ..."`);
      }
      const name = file.slice('docs/'.length);
      if (name !== 'README.md' && !index.includes(`](${name})`))
        wrong.push(`${file}: not in docs/README.md`);
    }
    expect(wrong).toEqual([]);
  });
});
