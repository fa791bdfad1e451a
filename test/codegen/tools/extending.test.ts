import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../../codegen/generator/extend.js';
import { driftCommand, scaffoldCommand } from '../../../codegen/tools/commands.js';
import { runCli, runCommand } from '../../helpers/codegen-cli.js';
import { catalogueFolder, FIXTURE, HEAD, ROOT } from '../generator/extend-helpers.js';

/**
 * drift and scaffold on catalogues that extend ours (`extends: authnzerver`): they read the merged catalogue, report
 * its errors as the generator does, and scaffold appends to the extending file.
 */

const run = runCommand;
const generate = runCli;
const { dir, catalogue } = catalogueFolder();

describe('drift and scaffold on a catalogue that extends ours', () => {
  it('the CLI and drift report the same errors, with exit status 2', async () => {
    const clash = catalogue(
      'clash.yaml',
      `${HEAD}requests:\n  session-new:\n    summary: Mine.\n    sideEffects: write\n`,
    );
    const generated = await generate('--catalogue', clash, '--out', join(dir, 'never'));
    expect(generated.code).toBe(2);
    expect(generated.err).toContain('requests.session-new: is already a request type');
    const drift = await run(
      driftCommand,
      '--server-schema',
      join(ROOT, 'test/fixtures/server-schema.json'),
      '--catalogue',
      clash,
    );
    expect(drift.code).toBe(2);
    expect(drift.err).toContain('requests.session-new: is already a request type');
  });

  it('drift compares the merged catalogue: our types agree, the new one is not on the server', async () => {
    const drift = await run(
      driftCommand,
      '--server-schema',
      join(ROOT, 'test/fixtures/server-schema.json'),
      '--catalogue',
      FIXTURE,
      '--json',
    );
    expect(drift.code).toBe(1);
    const report = JSON.parse(drift.out) as { findings: { kind: string; type: string }[] };
    expect(report.findings.map((f) => [f.kind, f.type])).toEqual([
      ['type-not-on-server', 'widget-get'],
    ]);
  });

  it('drift sees our types and the new ones; scaffold appends to the extending file, which then agrees', async () => {
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'test/fixtures/server-schema.json'), 'utf8'),
    ) as Record<string, unknown>;
    schema['widget-get'] = {
      args: [
        { name: 'session_token', type: 'str' },
        { name: 'widget_id', type: 'int' },
      ],
      kwargs: [{ name: 'with_owner', type: ['bool', 'None'] }],
    };
    schema['widget-put'] = { args: [{ name: 'widget_id', type: 'int' }], kwargs: [] };
    const serverSchema = join(dir, 'widgets-server-schema.json');
    writeFileSync(serverSchema, JSON.stringify(schema));
    const yaml = catalogue('scaffolded.yaml', readFileSync(FIXTURE, 'utf8'));
    const before = await run(
      driftCommand,
      '--server-schema',
      serverSchema,
      '--catalogue',
      yaml,
      '--json',
    );
    expect(before.code).toBe(1);
    expect(
      (JSON.parse(before.out) as { findings: { kind: string; type: string }[] }).findings.map(
        (f) => `${f.kind} ${f.type}`,
      ),
    ).toEqual(['type-not-in-catalogue widget-put']);
    const scaffolded = await run(
      scaffoldCommand,
      '--server-schema',
      serverSchema,
      '--catalogue',
      yaml,
      '--missing',
    );
    expect(scaffolded.code, scaffolded.err).toBe(0);
    const text = readFileSync(yaml, 'utf8');
    expect(text.startsWith(readFileSync(FIXTURE, 'utf8'))).toBe(true);
    expect(text).toContain('  widget-put:\n');
    expect((await loadCatalogueFile(yaml)).catalogue.requests).toHaveLength(40);
    const after = await run(driftCommand, '--server-schema', serverSchema, '--catalogue', yaml);
    expect([after.code, after.out]).toEqual([
      0,
      `${relative(process.cwd(), yaml)} agrees with ${relative(process.cwd(), serverSchema)}: 40 request types, 162 arguments, 9 recorded refinements.\n`,
    ]);
  });
});
