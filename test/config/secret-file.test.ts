/**
 * `AUTHNZERVER_SECRET_FILE`: the secret read from the file it names, as Docker and Kubernetes mount secrets
 * (trailing newline, one key per line for a rotation list), and the errors: both variables set, a file that cannot
 * be read, an empty file, a file whose contents are not a key (its contents never shown).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, generateFernetKey, resolveConfig, secretFromEnv } from '../../src/runtime.js';
import { secretKeys } from '../../src/config.js';

const URL_ = 'http://127.0.0.1:13431/';
const dir = mkdtempSync(join(tmpdir(), 'az-secret-file-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, contents: string): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}

function refusal(env: Record<string, string>): ConfigError {
  try {
    resolveConfig({ env: { AUTHNZERVER_URL: URL_, ...env } });
  } catch (error) {
    expect(ConfigError.is(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('AUTHNZERVER_SECRET_FILE', () => {
  it('reads the key from the file, newline and all, and says where it came from', () => {
    const key = generateFernetKey();
    const config = resolveConfig({
      env: { AUTHNZERVER_URL: URL_, AUTHNZERVER_SECRET_FILE: file('one', `${key}\n`) },
    });
    expect(config.summary.secretFrom).toBe('file');
    expect(config.summary.secretFingerprints).toHaveLength(1);
    expect(JSON.stringify(config.summary)).not.toContain(key);
  });

  it('takes a rotation list, one key per line (or comma-separated)', () => {
    const [a, b, c] = [generateFernetKey(), generateFernetKey(), generateFernetKey()];
    const path = file('list', `${a}\r\n\n${b},${c}\n`);
    const env = { AUTHNZERVER_URL: URL_, AUTHNZERVER_SECRET_FILE: path };
    expect(resolveConfig({ env }).summary.secretFingerprints).toHaveLength(3);
    expect(secretKeys({ env })).toEqual([a, b, c]);
  });

  it('the `secret` option wins over the file, as over AUTHNZERVER_SECRET', () => {
    const key = generateFernetKey();
    const config = resolveConfig({
      secret: key,
      env: { AUTHNZERVER_URL: URL_, AUTHNZERVER_SECRET_FILE: join(dir, 'absent') },
    });
    expect(config.summary.secretFrom).toBe('option');
  });

  it('refuses both variables at once, an unreadable or empty file, and a file that holds no key', () => {
    const key = generateFernetKey();
    const both = refusal({ AUTHNZERVER_SECRET: key, AUTHNZERVER_SECRET_FILE: file('k', key) });
    expect(both.message).toContain('both AUTHNZERVER_SECRET and AUTHNZERVER_SECRET_FILE are set');
    expect(both.envVar).toBe('AUTHNZERVER_SECRET_FILE');

    const missing = refusal({ AUTHNZERVER_SECRET_FILE: join(dir, 'absent') });
    expect(missing.message).toMatch(/names a file that cannot be read \(ENOENT\)/);

    expect(refusal({ AUTHNZERVER_SECRET_FILE: file('empty', '\n \n') }).message).toContain(
      'names an empty file',
    );

    const wrong = 'not-a-fernet-key-but-a-password-hunter2';
    const bad = refusal({ AUTHNZERVER_SECRET_FILE: file('bad', wrong) });
    expect(bad.message).toContain('the file AUTHNZERVER_SECRET_FILE names');
    expect(bad.message).toContain('is not a valid Fernet key');
    expect(bad.message).not.toContain(wrong);
    expect(bad.envVar).toBe('AUTHNZERVER_SECRET_FILE');
  });
});

describe('secretFromEnv: the `_FILE` variant for the secrets of an app (the web layer’s keys)', () => {
  it('reads the variable, else the file `<name>_FILE` names, newline dropped', () => {
    const path = file('signing', 'a-signing-secret-of-enough-length-0123456789\n');
    expect(secretFromEnv('SIGNING', { env: { SIGNING_FILE: path } })).toBe(
      'a-signing-secret-of-enough-length-0123456789',
    );
    expect(secretFromEnv('SIGNING', { env: { SIGNING: '"quoted-value"' } })).toBe('quoted-value');
  });

  it('refuses both, neither, an unreadable or an empty file, naming the variable and never the contents', () => {
    const secret = 'never-shown-secret-value-0123456789';
    const cases: [Record<string, string>, RegExp][] = [
      [{ S: secret, S_FILE: file('both', secret) }, /both S and S_FILE are set/],
      [{}, /S is not set \(nor S_FILE\)/],
      [{ S_FILE: join(dir, 'absent') }, /S_FILE names a file that cannot be read \(ENOENT\)/],
      [{ S_FILE: file('empty', '\n\n') }, /S_FILE names an empty file/],
    ];
    for (const [env, message] of cases) {
      let caught: unknown;
      try {
        secretFromEnv('S', { env });
      } catch (error) {
        caught = error;
      }
      expect(ConfigError.is(caught)).toBe(true);
      expect((caught as ConfigError).message).toMatch(message);
      expect((caught as ConfigError).message).not.toContain(secret);
    }
    expect(() => secretFromEnv('not a name')).toThrow(/must be an environment variable name/);
  });
});
