import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './packed.js';

/**
 * Versioning (RELEASING.md): CHANGELOG.md starts at the version package.json holds, and `changeset version`, with
 * this repository's configuration and offline, writes the next version's section above it.
 */

const run = promisify(execFile);
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const manifest = JSON.parse(read('package.json')) as { name: string; version: string };

/** The version headings of a changelog, newest first: `0.1.0 (unreleased)`, `0.1.0`. */
function headings(changelog: string): string[] {
  return [...changelog.matchAll(/^## (.+)$/gm)].map((match) => match[1] ?? '');
}

describe('CHANGELOG.md', () => {
  it("is the package's, and its newest section is package.json's version", () => {
    const changelog = read('CHANGELOG.md');
    // changesets inserts each new section after the first line: it must be the title, with nothing before.
    expect(changelog.split('\n')[0]).toBe(`# ${manifest.name}`);
    const newest = headings(changelog)[0];
    expect([manifest.version, `${manifest.version} (unreleased)`]).toContain(newest);
  });
});

describe('changeset version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authnzerver-changeset-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns a changeset into the next version and its section, above the last one', async () => {
    mkdirSync(join(dir, '.changeset'));
    copyFileSync(join(ROOT, '.changeset', 'config.json'), join(dir, '.changeset', 'config.json'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: manifest.name, version: '0.1.0' }),
    );
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      `# ${manifest.name}\n\n## 0.1.0\n\nThe first release.\n`,
    );
    writeFileSync(
      join(dir, '.changeset', 'new-option.md'),
      `---\n'${manifest.name}': minor\n---\n\nA new option.\n`,
    );
    await run('git', ['init', '-q'], { cwd: dir });
    const bin = join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js');
    await run(process.execPath, [bin, 'version'], { cwd: dir });
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
    expect(headings(changelog)).toEqual(['0.2.0', '0.1.0']);
    expect(changelog).toContain('- A new option.');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({
      version: '0.2.0',
    });
  }, 60_000);
});
