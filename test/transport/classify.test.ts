import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/transport/classify.js';

/**
 * How the errors of an HTTP stack become failures (`transport/classify.ts`), on the errors OpenSSL really throws
 * for unusable TLS material and on system errors. The certificate and keys are throw-away test material
 * (test/fixtures/tls/: a self-signed certificate for 127.0.0.1, its key, and another key).
 */

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const first = { cert: fixture('cert.pem'), key: fixture('key.pem') };
const second = { key: fixture('other-key.pem') };

/** The error Node throws when it builds a TLS context from this material (what undici's connect sees). */
function contextError(options: Parameters<typeof createSecureContext>[0]): unknown {
  try {
    createSecureContext(options);
  } catch (error) {
    return error;
  }
  throw new Error('createSecureContext accepted the material');
}

describe('classifyError: our own TLS material is unusable (OpenSSL ERR_OSSL_* codes)', () => {
  it('a key that does not belong to the certificate is `tls`, not sent', () => {
    const error = contextError({ cert: first.cert, key: second.key });
    expect((error as { code?: string }).code).toBe('ERR_OSSL_X509_KEY_VALUES_MISMATCH');
    const failure = classifyError(error, false);
    expect(failure).toMatchObject({
      kind: 'tls',
      delivery: 'not-sent',
      code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
      gotHeaders: false,
    });
    expect(failure.message).toMatch(/^TLS setup failed, the client certificate, key or CA/);
    expect(failure.message).toMatch(/key values mismatch/);
    expect(failure.cause).toBe(error);
  });

  it('a certificate file that is not PEM is `tls`, not sent, also inside a fetch TypeError', () => {
    const error = contextError({ cert: 'not a certificate\n', key: first.key });
    expect((error as { code?: string }).code).toBe('ERR_OSSL_PEM_NO_START_LINE');
    const wrapped = new TypeError('fetch failed', { cause: error });
    const failure = classifyError(wrapped, false);
    expect(failure).toMatchObject({
      kind: 'tls',
      delivery: 'not-sent',
      code: 'ERR_OSSL_PEM_NO_START_LINE',
    });
    expect(failure.cause).toBe(wrapped);
  });

  it('other codes keep their kinds: a reset is `network` and may have been sent', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyError(reset, false)).toMatchObject({
      kind: 'network',
      delivery: 'maybe-sent',
    });
    const alert = Object.assign(new Error('tlsv13 alert certificate required'), {
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    });
    expect(classifyError(alert, false)).toMatchObject({
      kind: 'tls',
      delivery: 'not-sent',
      message: 'TLS handshake failed: tlsv13 alert certificate required',
    });
  });
});
