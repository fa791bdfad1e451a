/**
 * The lint rules that pin the constant-time signature check (eslint-rules/timing-safe.js): the signed-cookie
 * check in src/web/crypto.ts uses crypto.subtle.verify, and replacing it with a comparison of the expected MAC
 * (by string, byte loop, `every`, `equals` or a helper) is a lint error.
 */
import { readFileSync } from 'node:fs';
import { Linter, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import timingSafe from '../../eslint-rules/timing-safe.js';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const rules = timingSafe.rules ?? {};
const noMacComparison = rules['no-mac-comparison'];
const unsignVerifies = rules['unsign-verifies'];
if (noMacComparison === undefined || unsignVerifies === undefined) throw new Error('rules missing');

/** An `unsign` like crypto.ts's, with `check` as the test that decides whether the MAC matches. */
const unsign = (check: string, extra = ''): string => `
  async function unsign(signed: string): Promise<string | null> {
    const dot = signed.lastIndexOf('.');
    if (dot <= 0) return null;
    const value = signed.slice(0, dot);
    const text = signed.slice(dot + 1);
    const mac = new Uint8Array(decodeBase64(text));
    if (encodeBase64Url(mac) !== text) return null;
    const data = encoder.encode(value);
    for (const key of keys) {
      ${check}
    }
    return null;
  }
  ${extra}`;

tester.run('no-mac-comparison', noMacComparison, {
  valid: [
    // The canonical-spelling check compares the caller's own text with itself: no secret in it.
    unsign(`if (await crypto.subtle.verify('HMAC', key, mac, data)) return value;`),
    `async function sign(value: string) {
      const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(value));
      return value + '.' + encodeBase64Url(new Uint8Array(mac));
    }`,
    `const value = signer === null ? token : await signer.sign(token); if (signer === null) use(value);`,
  ],
  invalid: [
    {
      code: `const expected = encodeBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, data)));
        if (expected === text) ok();`,
      errors: [{ messageId: 'compared' }],
    },
    {
      code: `if ((await signer.sign(value)) !== signed) fail();`,
      errors: [{ messageId: 'compared' }],
    },
    {
      code: `const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
        for (let i = 0; i < mac.length; i++) if (expected[i] !== mac[i]) fail();`,
      errors: [{ messageId: 'compared' }],
    },
    {
      code: `const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
        if (expected.every((b, i) => b === mac[i])) ok();`,
      errors: [{ messageId: 'compared' }],
    },
    {
      code: `const expected = Buffer.from(await crypto.subtle.sign('HMAC', key, data));
        if (expected.equals(mac)) ok();`,
      errors: [{ messageId: 'compared' }],
    },
    {
      code: `const digest = createHmac('sha256', secret).update(value).digest('base64url');
        if (bytesEqual(digest, text)) ok();`,
      errors: [{ messageId: 'compared' }],
    },
    {
      code: `const expectedFor = async (v: string) => signer.sign(v);
        if ((await expectedFor(value)) === signed) ok();`,
      errors: [{ messageId: 'compared' }],
    },
    {
      code: `switch (await signer.sign(value)) { case signed: ok(); }`,
      errors: [{ messageId: 'compared' }],
    },
  ],
});

tester.run('unsign-verifies', unsignVerifies, {
  valid: [
    unsign(`if (await crypto.subtle.verify('HMAC', key, mac, data)) return value;`),
    // A nested function's returns are its own.
    unsign(
      `if (await crypto.subtle.verify('HMAC', key, mac, data)) return value;
       const later = () => value; void later;`,
    ),
  ],
  invalid: [
    {
      code: unsign(
        `const expected = encodeBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, data)));
         if (expected === text) return value;`,
      ),
      errors: [{ messageId: 'noVerify' }, { messageId: 'unguarded' }],
    },
    {
      code: unsign(
        `if (bytesEqual(new Uint8Array(await crypto.subtle.sign('HMAC', key, data)), mac)) return value;`,
      ),
      errors: [{ messageId: 'noVerify' }, { messageId: 'unguarded' }],
    },
    {
      // verify is still called, but a comparison can also let the value through.
      code: unsign(
        `if ((await crypto.subtle.verify('HMAC', key, mac, data)) || text === known) return value;`,
      ),
      errors: [{ messageId: 'unguarded' }],
    },
    {
      code: `const o = { async unsign(signed: string) { return signed.split('.')[0] ?? null; } };`,
      errors: [{ messageId: 'noVerify' }, { messageId: 'unguarded' }],
    },
  ],
});

describe('src/web/crypto.ts', () => {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { 'timing-safe': timingSafe },
      rules: { 'timing-safe/no-mac-comparison': 'error', 'timing-safe/unsign-verifies': 'error' },
    },
  ];
  const source = readFileSync(new URL('../../src/web/crypto.ts', import.meta.url), 'utf8');
  const lint = (text: string): string[] =>
    linter.verify(text, config, 'crypto.ts').map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
  // `crypto.subtle.verify(alg, key, mac, data)`, with its arguments captured.
  const VERIFY = /crypto\.subtle\.verify\(([^,]+), ([^,]+), ([^,]+), ([^)]+)\)/;

  it('checks the cookie MAC with crypto.subtle.verify, and passes the rules', () => {
    expect(source).toMatch(VERIFY);
    expect(lint(source)).toEqual([]);
  });

  it('fails the rules when the verify is replaced by comparing the expected MAC', () => {
    const asString = source.replace(
      VERIFY,
      (_all, alg: string, key: string, mac: string, data: string) =>
        `encodeBase64Url(new Uint8Array(await crypto.subtle.sign(${alg}, ${key}, ${data}))) === encodeBase64Url(${mac})`,
    );
    const asBytes =
      source.replace(
        VERIFY,
        (_all, alg: string, key: string, mac: string, data: string) =>
          `bytesEqual(new Uint8Array(await crypto.subtle.sign(${alg}, ${key}, ${data})), ${mac})`,
      ) +
      `\nfunction bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
        if (a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
        return true;
      }\n`;
    for (const broken of [asString, asBytes]) {
      expect(broken).not.toMatch(VERIFY);
      const messages = lint(broken);
      expect(messages).toContainEqual(
        expect.stringMatching(/^timing-safe\/unsign-verifies: unsign\(\) must/),
      );
      expect(messages).toContainEqual(expect.stringMatching(/^timing-safe\/no-mac-comparison: /));
    }
  });
});
