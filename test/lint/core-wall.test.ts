/**
 * The wall around the call core (src/core/README.md), as eslint.config.js builds it: in src/core/, an import of
 * the runtime seam, a Node.js module, an HTTP stack or any module outside src/core/ is a lint error, and the core
 * as it is passes. The rule's settings are read from the project's own configuration for a file of src/core/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const RULE = '@typescript-eslint/no-restricted-imports';
const ROOT = new URL('../../', import.meta.url);

let check: (code: string) => string[];

beforeAll(async () => {
  const config = (await new ESLint({ cwd: ROOT.pathname }).calculateConfigForFile(
    'src/core/call.ts',
  )) as Linter.Config;
  const setting = config.rules?.[RULE];
  expect(setting, `${RULE} is set for src/core/`).toBeDefined();
  const linter = new Linter({ configType: 'flat' });
  const only: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { '@typescript-eslint': tseslint.plugin },
      rules: { [RULE]: setting },
    },
  ];
  check = (code) =>
    linter
      .verify(code, only, 'src/core/module.ts')
      .filter((m) => m.fatal === true || m.ruleId === RULE)
      .map((m) => m.ruleId ?? `parse: ${m.message}`);
}, 30_000);

describe('src/core/ imports only itself and zod', () => {
  it.each([
    `import { platform } from '#platform';`,
    `import { createHash } from 'node:crypto';`,
    `import { readFileSync } from 'fs';`,
    `import type { Dispatcher } from 'undici';`,
    `import ky from 'ky';`,
    `import { sendOnce } from '../transport/send.js';`,
    `import type { Transport } from '../transport/types.js';`,
    `import { SyncHost } from '../sync/host.js';`,
    `import type { Hooks } from '../observe/hooks.js';`,
    `import { encodeWire } from '../crypto/wire.js';`,
    `import type { ResolvedConfig } from '../client-options.js';`,
    `export { platform } from '#platform';`,
  ])('refuses %s', (code) => {
    expect(check(code)).toEqual([RULE]);
  });

  it.each([
    `import { check } from './validate.js';`,
    `import type { Reqid } from './result.js';`,
    `import * as z from 'zod/mini';`,
    `import { en } from 'zod/locales';`,
  ])('lets through %s', (code) => {
    expect(check(code)).toEqual([]);
  });

  it('the core as it is passes', () => {
    const dir = new URL('src/core/', ROOT);
    const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) {
      expect(check(readFileSync(new URL(name, dir), 'utf8')), name).toEqual([]);
    }
  });
});
