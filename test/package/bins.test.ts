import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The package's bins work from a clone: after the build (which `npm test` runs first), `npx` in the repository
 * runs them. npm sets the exec bit when it installs or links a package, not when `tsc` rebuilds dist/, so the
 * build sets it (scripts/bin-mode.js); without it, `npx authnzerver` says "Permission denied".
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};

const HELP: Record<string, string> = {
  authnzerver: 'Usage: authnzerver <command> [options]',
  'authnzerver-codegen': 'Usage: authnzerver-codegen --catalogue <file.yaml> --out <dir>',
};

describe.each(Object.entries(bin))('the %s bin (%s)', (name, path) => {
  const file = join(ROOT, path);
  const built = (): void => {
    if (!existsSync(file)) {
      throw new Error(`${path} is not built: run \`npm run build\` first (\`npm test\` does)`);
    }
  };

  it('starts with the node shebang and is executable', () => {
    built();
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const mode = statSync(file).mode;
    expect((mode & 0o111).toString(8), `the exec bits of ${path}`).toBe('111');
  });

  it('runs through npx in the repository', async () => {
    built();
    // --no: never install a package of that name from the registry; `--`: --help is the bin's, not npx's.
    const { stdout } = await run('npx', ['--no', '--', name, '--help'], { cwd: ROOT });
    expect(stdout).toContain(HELP[name]);
  }, 120_000);
});

it('both bins are checked', () => {
  expect(Object.keys(bin).sort()).toEqual(Object.keys(HELP).sort());
});
