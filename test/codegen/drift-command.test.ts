import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/codegen-cli.js';
import { arg, CATALOGUE, dump, FIXTURE, read } from './tools/drift-helpers.js';

describe('authnzerver-codegen drift', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authnzerver-drift-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (...argv: string[]): Promise<CliRun> => runCli('drift', ...argv);

  it('exits 0 in sync, against the package catalogue by default', async () => {
    const result = await run('--server-schema', FIXTURE);
    expect(result).toEqual({
      code: 0,
      out: `${CATALOGUE} agrees with ${FIXTURE}: 38 request types, 158 arguments, 9 recorded refinements.\n`,
      err: '',
    });
    expect((await run('--server-schema', FIXTURE, '--catalogue', CATALOGUE)).code).toBe(0);
  });

  it('exits 1 on drift, with a report for people, and a hint to scaffold the missing types', async () => {
    const server = dump();
    server['user-frobnicate'] = { args: [{ name: 'user_id', type: 'int' }], kwargs: [] };
    arg(server, 'user-logout', 'user_id').type = 'str';
    const path = file('planted.json', JSON.stringify(server));
    const result = await run('--server-schema', path);
    expect(result.code).toBe(1);
    expect(result.err).toBe('');
    expect(result.out).toContain('has drifted from');
    expect(result.out).toContain(': 2 findings in 2 request types.\n');
    expect(result.out).toContain(
      '\nuser-logout\n  argument user_id: the catalogue says int, the server says str\n',
    );
    expect(result.out).toContain(
      '\nuser-frobnicate\n  on the server (1 required argument in args, 0 in kwargs) but not in the catalogue\n',
    );
    expect(result.out).toMatch(
      /authnzerver-codegen scaffold --server-schema .*planted\.json --missing/,
    );
  });

  it('--json prints the report for tools', async () => {
    const server = dump();
    delete server['user-lookup-match'];
    const result = await run(
      '--server-schema',
      file('removed.json', JSON.stringify(server)),
      '--json',
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({
      inSync: false,
      catalogue: CATALOGUE,
      counts: { serverTypes: 37, catalogueTypes: 38, compared: 37, refinements: 9 },
      findings: [
        {
          kind: 'type-not-on-server',
          type: 'user-lookup-match',
          message: 'in the catalogue but not on the server',
        },
      ],
    });
    expect(report.serverSchema).toMatch(/removed\.json$/);
    const same = JSON.parse((await run('--server-schema', FIXTURE, '--json')).out);
    expect(same).toMatchObject({ inSync: true, findings: [], serverSchema: FIXTURE });
  });

  it.each([
    [
      ['--server-schema', 'nope/server-schema.json'],
      'nope/server-schema.json: no such file (the server schema)\n',
    ],
    [['--server-schema', 'test/fixtures'], 'test/fixtures: is a folder, not the server schema\n'],
    [['--server-schema', CATALOGUE], `${CATALOGUE}: not JSON (`],
    [
      ['--server-schema', 'package.json'],
      'package.json: not an authnzerver SCHEMA (a JSON object of request types, each with args and kwargs): "name": is a string',
    ],
    [
      ['--server-schema', FIXTURE, '--catalogue', 'nope.yaml'],
      'nope.yaml: no such file (the catalogue)\n',
    ],
    [['--server-schema', FIXTURE, '--catalogue', FIXTURE], `${FIXTURE}: version: `],
    [[], '--server-schema is required'],
    [['--server-schema'], "Option '--server-schema <value>' argument missing"],
    [['--server-schema', FIXTURE, '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('exits 2 with a clear message: %j', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(message);
  });

  it('has --help, and the main usage names it', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: authnzerver-codegen drift --server-schema <file.json>');
    expect(help.out).toContain('Exit status: 0 in sync, 1 drift, 2 a usage or input error');
    const { out } = await runCli('--help');
    expect(out).toContain('authnzerver-codegen drift --server-schema');
    expect(out).toContain('authnzerver-codegen scaffold --server-schema');
  });
});

describe('authnzerver-codegen drift without the optional yaml peer dependency', () => {
  it('asks for it by name', () => {
    // bin.ts, cli.ts and errors.ts alone (cli.ts loads everything else on demand), outside the repository's
    // node_modules.
    const lonely = mkdtempSync(join(tmpdir(), 'authnzerver-codegen-'));
    try {
      mkdirSync(join(lonely, 'codegen'));
      for (const name of ['bin', 'cli', 'errors']) {
        const { outputText } = ts.transpileModule(read(`codegen/${name}.ts`), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        });
        writeFileSync(join(lonely, 'codegen', `${name}.js`), outputText);
      }
      writeFileSync(join(lonely, 'package.json'), '{"type":"module"}');
      for (const command of ['drift', 'scaffold']) {
        const result = spawnSync(
          process.execPath,
          [join(lonely, 'codegen', 'bin.js'), command, '--server-schema', 'x.json'],
          { cwd: lonely, encoding: 'utf8' },
        );
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('missing: yaml\n');
      }
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });
});
