import { describe, expect, it } from 'vitest';
import { specs } from '../../generated/specs.js';
import { MAX_DEPTH, REDACTED, TOO_DEEP, isSecretKey, redact } from '../../src/core/redact.js';

/**
 * Redaction (`core/redact.ts`), alone: the catalogue's secret fields by their paths (`[]` for list items), any key
 * whose name says it holds a secret, at any depth up to {@link MAX_DEPTH}, and whatever lies deeper replaced
 * whole, so that no secret is ever logged. How logs and hooks use it: test/observe/observer.test.ts.
 */

const TOKEN = 'tk-3d1a9f0c';
const PASSWORD = 'correct horse battery staple';

/** `value` nested under `depth` objects (`{ a: { a: ... } }`). */
function nested(depth: number, value: unknown): unknown {
  let out = value;
  for (let i = 0; i < depth; i++) out = { a: out };
  return out;
}

describe('redact', () => {
  it("redacts a request type's secret fields by the catalogue's paths", () => {
    const body = { email: 'alice@example.com', password: PASSWORD, client_ipaddr: '127.0.0.1' };
    const paths = specs['user-login'].secrets.body;
    expect(paths).toContain('password');
    expect(redact(body, paths)).toEqual({ ...body, password: REDACTED });
    // The caller's value is never changed.
    expect(body.password).toBe(PASSWORD);
  });

  it('follows dotted paths into nested objects, and `[]` into each item of a list', () => {
    const reply = {
      session_info: { user_id: 4, code: TOKEN },
      keys: [{ id: 1, code: TOKEN }, { id: 2, code: TOKEN }, 'not an object'],
      codes: [TOKEN, TOKEN],
    };
    expect(redact(reply, ['session_info.code', 'keys[].code', 'codes[]'])).toEqual({
      session_info: { user_id: 4, code: REDACTED },
      keys: [{ id: 1, code: REDACTED }, { id: 2, code: REDACTED }, 'not an object'],
      codes: [REDACTED, REDACTED],
    });
  });

  it('leaves a path that is not there, or a list path on what is not a list, as it is', () => {
    const value = { a: { b: 1 }, list: 'not a list' };
    expect(redact(value, ['a.c', 'x.y', 'list[].z'])).toEqual(value);
  });

  it('redacts secret-named keys whatever the paths say, at any depth and inside lists', () => {
    const value = {
      request: 'custom-type',
      body: {
        session_token: TOKEN,
        user: { password: PASSWORD, name: 'alice' },
        apikey: TOKEN,
        items: [{ refresh_token: TOKEN }, { secret: TOKEN, keep: 1 }],
        apikey_dict: { any: 'thing' },
      },
    };
    expect(redact(value)).toEqual({
      request: 'custom-type',
      body: {
        session_token: REDACTED,
        user: { password: REDACTED, name: 'alice' },
        apikey: REDACTED,
        items: [{ refresh_token: REDACTED }, { secret: REDACTED, keep: 1 }],
        apikey_dict: REDACTED,
      },
    });
    expect(JSON.stringify(redact(value))).not.toContain(TOKEN);
  });

  it('keeps null: that a token is absent is not a secret', () => {
    expect(redact({ session_token: null, password: undefined })).toEqual({
      session_token: null,
      password: undefined,
    });
  });

  it('says which key names hold secrets', () => {
    for (const key of ['password', 'new_password', 'session_token', 'API_KEY', 'apikey', 'tkn']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['email', 'tokens_issued', 'passwordless', 'user_id', 'secretary']) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it(`looks ${MAX_DEPTH} levels deep, and replaces whatever lies deeper whole: a secret down there is never shown`, () => {
    // A secret-named key at the deepest level looked at is redacted as anywhere else.
    expect(redact(nested(MAX_DEPTH, { password: PASSWORD }))).toEqual(
      nested(MAX_DEPTH, { password: REDACTED }),
    );
    // One level deeper, the object that holds it is replaced: its keys are not read.
    const deeper = redact(nested(MAX_DEPTH + 1, { password: PASSWORD, note: 'x' }));
    expect(deeper).toEqual(nested(MAX_DEPTH + 1, TOO_DEEP));
    expect(JSON.stringify(redact(nested(200, [{ session_token: TOKEN }])))).not.toContain(TOKEN);
    // A plain value at the deepest level looked at passes; below it, its holder is replaced like any other.
    expect(redact(nested(MAX_DEPTH, 'plain'))).toEqual(nested(MAX_DEPTH, 'plain'));
    expect(redact(nested(MAX_DEPTH + 5, 'plain'))).toEqual(nested(MAX_DEPTH + 1, TOO_DEEP));
  });
});
