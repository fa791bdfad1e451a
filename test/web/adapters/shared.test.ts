/** `src/web/adapters/shared.ts`: the light request over a Node request's headers that Express and Fastify pass. */
import { describe, expect, it } from 'vitest';
import { MISSING_MIDDLEWARE, NodeAuthRequest } from '../../../src/web/adapters/shared.js';

describe('NodeAuthRequest', () => {
  it('builds the full URL from the scheme, Host and path', () => {
    expect(new NodeAuthRequest('GET', false, { host: 'app.test:8080' }, '/a?b=1').url).toBe(
      'http://app.test:8080/a?b=1',
    );
    expect(new NodeAuthRequest('POST', true, { host: 'app.test' }, '/').url).toBe(
      'https://app.test/',
    );
    for (const host of [undefined, ''])
      expect(new NodeAuthRequest('GET', false, { host }, '/x').url).toBe('http://localhost/x');
  });

  it('keeps only the path of an absolute-form target: the Host header decides the host', () => {
    const url = (target: string) =>
      new NodeAuthRequest('GET', false, { host: 'app.test' }, target).url;
    expect(url('http://evil.test/account?x=1')).toBe('http://app.test/account?x=1');
    expect(url('http://evil.test')).toBe('http://app.test/');
    expect(url('*')).toBe('http://app.test/');
  });

  it('reads headers by lower-case name, joins repeated ones, and says null for a missing one', () => {
    const request = new NodeAuthRequest(
      'GET',
      false,
      { host: 'app.test', cookie: 'a=1', 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'] },
      '/',
    );
    expect(request.method).toBe('GET');
    expect(request.headers.get('Cookie')).toBe('a=1');
    expect(request.headers.get('x-forwarded-for')).toBe('1.1.1.1, 2.2.2.2');
    expect(request.headers.get('origin')).toBeNull();
  });

  it('names the missing middleware in its message', () => {
    expect(MISSING_MIDDLEWARE).toBe(
      'authnzerver: the auth middleware did not run for this request',
    );
  });
});
