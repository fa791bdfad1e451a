/** The Jest projects in ecosystem-tests/ (jest*\/), each run as its user would against the installed package. */
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { InstalledApp } from './install.js';
import { baseEnv, readPackage, ROOT, RUN_TIMEOUT_MS, runCommand, tail } from './process.js';

/** A Jest project of ecosystem-tests/jest*\/ and the Jest that runs it. */
export interface JestProject {
  readonly name: string;
  /** The folder in ecosystem-tests/. */
  readonly source: string;
  /** Jest's bin: jest29 for a folder whose name has 29, else jest (30). */
  readonly bin: string;
}

/** The Jest projects in ecosystem-tests/: each folder whose name starts with `jest`. */
export function jestProjects(): JestProject[] {
  const base = join(ROOT, 'ecosystem-tests');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('jest'))
    .map((entry) => ({
      name: entry.name,
      source: join(base, entry.name),
      bin: join(
        ROOT,
        'node_modules',
        entry.name.includes('29') ? 'jest29' : 'jest',
        'bin',
        'jest.js',
      ),
    }));
}

/** What a Jest run gave: Jest's summary, or why there is none. */
export interface JestOutcome {
  readonly passed: number;
  readonly failed: number;
  readonly version: string;
  readonly problem?: string;
  readonly output: string;
}

/**
 * Runs a Jest project as its user would, with its own config (the default when it has none): copied next to the
 * installed package (without any node_modules of its own), `jest --ci` in its folder.
 */
export async function runJest(app: InstalledApp, project: JestProject): Promise<JestOutcome> {
  const dir = join(app.dir, project.name);
  cpSync(project.source, dir, {
    recursive: true,
    filter: (source) => !source.split(/[\\/]/).includes('node_modules'),
  });
  const results = join(app.tmp, `${project.name}.json`);
  const version = readPackage(join(project.bin, '..', '..')).version;
  const result = await runCommand(
    process.execPath,
    [project.bin, '--ci', '--json', `--outputFile=${results}`],
    { cwd: dir, env: baseEnv(), timeoutMs: RUN_TIMEOUT_MS },
  );
  const output = tail(`${result.stderr}\n${result.stdout}`);
  if (!existsSync(results)) {
    return {
      passed: 0,
      failed: 0,
      version,
      problem: `no Jest results (exit code ${result.code})`,
      output,
    };
  }
  const summary = JSON.parse(readFileSync(results, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  const problem = result.timedOut
    ? `no end after ${RUN_TIMEOUT_MS} ms`
    : result.code !== 0
      ? `exit code ${result.code}`
      : undefined;
  return {
    passed: summary.numPassedTests,
    failed: summary.numFailedTests,
    version,
    ...(problem === undefined ? {} : { problem }),
    output,
  };
}
