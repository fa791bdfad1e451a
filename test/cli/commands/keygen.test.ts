import { describe, expect, it } from 'vitest';
import { Fernet } from '../../../src/index.js';
import { runBin } from '../helpers.js';

/** `authnzerver keygen`, run as the built bin. */

describe('authnzerver keygen', () => {
  it('keygen prints a new key in the server format', async () => {
    const first = await runBin(['keygen']);
    const second = await runBin(['keygen']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^[A-Za-z0-9_-]{43}=\n$/);
    expect(() => new Fernet(first.stdout)).not.toThrow();
    expect(second.stdout).not.toBe(first.stdout);
  });
});
