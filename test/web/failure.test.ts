/**
 * `src/web/failure.ts` on its own: each failure's status and message, how a client result is read, the reply for
 * a failure (text or JSON, its headers), which requests get JSON, the Bearer challenge, and the form-field checks.
 */
import { describe, expect, it } from 'vitest';
import {
  bearerChallenge,
  challenged,
  failure,
  failureReply,
  failureResponse,
  fromResult,
  INPUT_LIMITS,
  invalidInput,
  requiredString,
  wantsJson,
} from '../../src/web/failure.js';
import type { AuthFailureCode } from '../../src/web/types.js';

describe('failure', () => {
  it.each([
    ['unavailable', 503, 'The sign-in service is unavailable. Please try again shortly.'],
    ['rate-limited', 429, 'Too many requests. Please try again later.'],
    ['over-limit', 429, 'You have reached the limit for your account.'],
    ['csrf', 403, 'This request did not come from this site.'],
    ['unauthenticated', 401, 'Please log in.'],
    ['forbidden', 403, 'You are not allowed to do this.'],
    ['invalid-api-key', 401, 'The API key is not valid.'],
    ['api-key-scope', 403, 'The API key is not valid for this request.'],
    ['rejected', 400, 'The request was refused.'],
    ['login-refused', 401, 'Log-in failed.'],
    ['invalid-token', 400, 'This link is not valid or has expired.'],
    ['invalid-input', 400, 'Some of the input is missing or malformed.'],
    ['too-large', 413, 'The request is too large.'],
  ] as const)('%s: %i, %s', (code: AuthFailureCode, status, message) => {
    const f = failure(code, ['a message']);
    expect(f).toMatchObject({ code, status, message, messages: ['a message'] });
    expect(Object.isFrozen(f)).toBe(true);
    if (status === 429) expect(f.retryAfter).toBe(60);
    else expect('retryAfter' in f).toBe(false);
  });

  it('carries a 429 Retry-After, and a field in an invalid-input message', () => {
    expect(failure('rate-limited', [], 7).retryAfter).toBe(7);
    expect(invalidInput('email is required')).toMatchObject({
      status: 400,
      code: 'invalid-input',
      message: 'Invalid input: email is required.',
    });
  });
});

describe('fromResult', () => {
  const result = (over: Record<string, unknown>) => ({
    success: false,
    response: { user_id: null },
    messages: ['For the user.'],
    failure: 'rejected',
    failureReason: 'the reason',
    ...over,
  });

  it('reads a success, a rejection (with the reply and reason kept for decisions), invalid parameters, a 429 and the rest', () => {
    expect(fromResult(result({ success: true, failure: null, response: { a: 1 } }))).toEqual({
      ok: true,
      value: { a: 1 },
      messages: ['For the user.'],
    });
    expect(fromResult(result({}))).toEqual({
      ok: false,
      rejected: true,
      messages: ['For the user.'],
      failure: failure('rejected', ['For the user.']),
      response: { user_id: null },
      reason: 'the reason',
    });
    // The server's words about invalid parameters are about the protocol: not for end users.
    expect(fromResult(result({ failure: 'invalid-params' }))).toEqual({
      ok: false,
      rejected: true,
      messages: [],
      failure: failure('rejected'),
    });
    expect(fromResult(result({ failure: 'rate-limited', retryAfter: 180 }))).toEqual({
      ok: false,
      rejected: false,
      failure: failure('rate-limited', [], 180),
    });
    expect(fromResult(result({ failure: 'rate-limited', retryAfter: null }))).toMatchObject({
      failure: { retryAfter: 60 },
    });
    for (const kind of ['network', 'timeout', 'server-error', 'wrong-key', 'invalid-response'])
      expect(fromResult(result({ failure: kind }))).toEqual({
        ok: false,
        rejected: false,
        failure: failure('unavailable'),
      });
  });
});

describe('the reply for a failure', () => {
  const limited = challenged(failure('rate-limited', ['Slow down.'], 9), 'Bearer');

  it('as text or JSON, never cached, with Retry-After and WWW-Authenticate when they apply', async () => {
    expect(failureReply(limited, false)).toEqual({
      status: 429,
      headers: {
        'cache-control': 'private, no-store',
        vary: 'Cookie',
        'retry-after': '9',
        'www-authenticate': 'Bearer',
      },
      contentType: 'text/plain; charset=utf-8',
      body: 'Too many requests. Please try again later.',
    });
    expect(failureReply(failure('csrf'), true)).toEqual({
      status: 403,
      headers: { 'cache-control': 'private, no-store', vary: 'Cookie' },
      contentType: 'application/json; charset=utf-8',
      body: '{"error":"csrf","message":"This request did not come from this site.","messages":[]}',
    });
    const response = failureResponse(limited, ['a=1; Path=/', 'b=2; Path=/'], true);
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('retry-after')).toBe('9');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await response.json()).toEqual({
      error: 'rate-limited',
      message: 'Too many requests. Please try again later.',
      messages: ['Slow down.'],
    });
    const text = failureResponse(failure('unauthenticated'));
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.getSetCookie()).toEqual([]);
    expect(text.headers.has('retry-after')).toBe(false);
    expect(await text.text()).toBe('Please log in.');
  });
});

describe('wantsJson', () => {
  it.each([
    [{ accept: 'application/json' }, true],
    [{ accept: 'application/json, text/plain, */*' }, true],
    [{ accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }, false],
    [{ accept: 'text/html, application/json' }, false],
    [{ accept: 'text/html;q=0.5, application/json' }, true],
    [{ accept: 'text/plain' }, false],
    [{ accept: 'image/png' }, false],
    [{}, false],
    [{ accept: '' }, false],
    [{ accept: '*/*' }, false],
    [{ accept: '*/*', 'content-type': 'application/json' }, true],
    [{ 'content-type': 'application/json; charset=utf-8' }, true],
    [{ 'content-type': 'application/vnd.api+json' }, true],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, false],
    [{ authorization: 'Bearer x' }, true],
    [{ authorization: 'Basic x' }, false],
    [{ accept: 'text/html', authorization: 'Bearer x' }, false],
  ])('%j → %s', (headers, json) => {
    expect(wantsJson(new Headers(headers))).toBe(json);
  });
});

describe('bearerChallenge', () => {
  it('is Bearer, with a quoted realm and the error when there are', () => {
    expect(bearerChallenge(undefined)).toBe('Bearer');
    expect(bearerChallenge(undefined, 'invalid_token')).toBe('Bearer error="invalid_token"');
    expect(bearerChallenge('my "app"\\x', 'insufficient_scope')).toBe(
      'Bearer realm="my \\"app\\"\\\\x", error="insufficient_scope"',
    );
    expect(bearerChallenge('api')).toBe('Bearer realm="api"');
  });
});

describe('form fields', () => {
  it('are required, and no longer than the server keeps', () => {
    expect(INPUT_LIMITS).toEqual({ password: 256, email: 280, fullName: 280 });
    expect(requiredString('ok', 'email', 2)).toBe('ok');
    for (const missing of [undefined, null, 42, '', '   ', ['a']])
      expect(requiredString(missing, 'email', 10)).toEqual(invalidInput('email is required'));
    expect(requiredString('abc', 'name', 2)).toEqual(
      invalidInput('name must be at most 2 characters'),
    );
  });
});
