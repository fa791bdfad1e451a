import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMPILE_AFTER, check } from '../../src/core/validate.js';

/**
 * The checks of bodies and replies (`src/core/validate.ts`): English messages whatever zod's configuration, and a
 * schema checked often compiled with the compiler the caller passes (the platform's: zod's `compile`), with the
 * same results as the ordinary parser.
 */

const session = (): z.ZodMiniType =>
  z.looseObject({
    user_id: z.int(),
    email: z.string(),
    full_name: z.nullable(z.string()),
    roles: z.array(z.enum(['a', 'b'])),
    extra: z.optional(z.record(z.string(), z.unknown())),
  });
const ENGLISH = { error: en().localeError };
const VALID = { user_id: 4, email: 'a@example.com', full_name: null, roles: ['a'], more: 1 };
const INVALID = { user_id: 4.5, email: 7, full_name: null, roles: ['c'] };

afterEach(() => {
  vi.restoreAllMocks();
  z.config({ jitless: false });
});

describe('checking against a schema', () => {
  it('says what is wrong in English, naming each field, though zod/mini loads no locale', () => {
    const result = check(session(), INVALID);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['user_id'], 'Invalid input: expected int, received number'],
      [['email'], 'Invalid input: expected string, received number'],
      [['roles', 0], 'Invalid option: expected one of "a"|"b"'],
    ]);
    // zod's own configuration is untouched: a plain parse still has no words.
    expect(session().safeParse(INVALID).error?.issues[0]?.message).toBe('Invalid input');
  });

  it(`compiles a schema at its ${COMPILE_AFTER}th check, once, and answers the same before and after`, () => {
    const compile = vi.fn((schema: z.ZodMiniType) => z.compile(schema));
    const schema = session();
    const plain = session();
    for (let i = 1; i <= COMPILE_AFTER * 2; i++) {
      const good = check(schema, VALID, compile);
      const bad = check(schema, INVALID, compile);
      expect(good, `check ${i}`).toEqual(plain.safeParse(VALID));
      expect(bad.success ? [] : bad.error.issues, `check ${i}`).toEqual(
        plain.safeParse(INVALID, ENGLISH).error?.issues,
      );
      // Two checks a round: the compile happens in the round of the COMPILE_AFTER-th.
      expect(compile.mock.calls.filter(([s]) => s === schema)).toHaveLength(
        2 * i >= COMPILE_AFTER ? 1 : 0,
      );
    }
  });

  it("compiles nothing when the app turned zod's JIT off (jitless, for a no-eval policy)", () => {
    z.config({ jitless: true });
    const compile = vi.fn((schema: z.ZodMiniType) => z.compile(schema));
    const schema = session();
    for (let i = 0; i < COMPILE_AFTER * 2; i++) {
      expect(check(schema, VALID, compile).success).toBe(true);
    }
    expect(compile).not.toHaveBeenCalled();
  });

  it('checks a schema that is not zod (anything with a compatible safeParse) without compiling it', () => {
    const compile = vi.fn((schema: z.ZodMiniType) => z.compile(schema));
    const schema = {
      safeParse: (value: unknown) =>
        value === 1
          ? { success: true as const, data: 1 }
          : { success: false as const, error: { issues: [{ path: ['x'], message: 'not 1' }] } },
    };
    for (let i = 0; i < COMPILE_AFTER * 2; i++)
      expect(check(schema, 1, compile).success).toBe(true);
    expect(check(schema, 2)).toEqual({
      success: false,
      error: { issues: [{ path: ['x'], message: 'not 1' }] },
    });
    expect(compile).not.toHaveBeenCalled();
  });
});
