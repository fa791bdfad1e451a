import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staleFiles, UPDATE_COMMAND } from '../../scripts/api-report.js';
import { requireBuilt, ROOT } from './packed.js';

/**
 * The reviewed public surface (scripts/api-report.ts): the committed `api/*.api.md`, one per entry point, and
 * `api.md` must be what the built declarations and the catalogue make now, so that every change to an exported
 * type, or to a type an export uses, shows up in review as a diff of those files.
 */

describe('the API reports', () => {
  it(`match the declarations dist/ ships and the catalogue (if not: run \`${UPDATE_COMMAND}\`, review, commit)`, async () => {
    requireBuilt(['dist/src/index.d.ts', 'dist/src/web/index.d.ts']);
    const stale = await staleFiles();
    expect(
      stale,
      `The public API changed, or its report is out of date: run \`${UPDATE_COMMAND}\`, review the diff of ${stale.join(', ')} and commit it.`,
    ).toEqual([]);
  }, 120_000);
});

describe('the check', () => {
  const root = mkdtempSync(join(tmpdir(), 'api-report-'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const declarations = (inner: string, exported: string): string =>
    [
      `interface Inner { ${inner} }`,
      `export interface Options { ${exported}; readonly inner?: Inner }`,
      'export declare function create(options: Options): void;',
      '',
    ].join('\n');

  it('fails on a changed export, on a changed type an export uses, and on a changed catalogue', async () => {
    // A package of one entry point, its declarations, and the catalogue the client is generated from.
    write(
      'package.json',
      JSON.stringify({
        name: 'demo',
        exports: {
          '.': { import: { types: './dist/src/index.d.ts' } },
          './package.json': './package.json',
        },
      }),
    );
    write('dist/src/index.d.ts', declarations('readonly depth: number', 'readonly name: string'));
    mkdirSync(join(root, 'schema'));
    copyFileSync(
      join(ROOT, 'schema', 'authnzerver.yaml'),
      join(root, 'schema', 'authnzerver.yaml'),
    );
    // As `npm run api:update` does: every file written.
    expect(await staleFiles(root, true)).toEqual(['api/demo.api.md', 'api.md']);
    expect(await staleFiles(root)).toEqual([]);
    const report = readFileSync(join(root, 'api', 'demo.api.md'), 'utf8');
    expect(report).toContain('export interface Options');
    expect(report).toContain('interface Inner');

    // An exported interface gains a field.
    write('dist/src/index.d.ts', declarations('readonly depth: number', 'readonly name?: string'));
    expect(await staleFiles(root, true)).toEqual(['api/demo.api.md']);

    // A type the entry does not export, but its exports use, changes.
    write('dist/src/index.d.ts', declarations('readonly depth: string', 'readonly name?: string'));
    expect(await staleFiles(root, true)).toEqual(['api/demo.api.md']);

    // The catalogue's summary of a method changes: api.md lists it.
    const catalogue = join(root, 'schema', 'authnzerver.yaml');
    const text = readFileSync(catalogue, 'utf8');
    const summary = 'End a session by deleting its token.';
    expect(text).toContain(summary);
    writeFileSync(catalogue, text.replace(summary, 'End a session.'));
    expect(await staleFiles(root)).toEqual(['api.md']);
  }, 120_000);
});
