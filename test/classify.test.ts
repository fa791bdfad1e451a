import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProtocolServer, type ProtocolServer } from '../src/testing/protocol-server.js';
import { classifyError } from '../src/transport/classify.js';
import { UndiciDispatchTransport } from '../src/transport/undici.js';
import { selfSigned, type SelfSigned } from './helpers/tls.js';

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
  let first: SelfSigned;
  let second: SelfSigned;
  beforeAll(() => {
    first = selfSigned();
    second = selfSigned();
  });
  afterAll(() => {
    first.remove();
    second.remove();
  });

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

describe('the undici transport with a mismatched certificate and key', () => {
  let cert: SelfSigned;
  let other: SelfSigned;
  let server: ProtocolServer;
  let transport: UndiciDispatchTransport;
  beforeAll(async () => {
    cert = selfSigned();
    other = selfSigned();
    server = await startProtocolServer({ tls: { cert: cert.cert, key: cert.key } });
    transport = new UndiciDispatchTransport({
      connectTimeout: 5000,
      keepAliveTimeout: 1000,
      connections: 1,
      tls: { cert: cert.cert, key: other.key, ca: cert.cert },
    });
  });
  afterAll(async () => {
    await transport.close();
    await server.close();
    cert.remove();
    other.remove();
  });

  it('fails as `tls`, not sent, and the server sees no request', async () => {
    const outcome = await transport.send({
      url: new URL(server.url),
      body: 'AAAA',
      cancel: { aborted: false, onAbort: undefined },
      maxResponseBytes: 1024,
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({
      kind: 'tls',
      delivery: 'not-sent',
      code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
    });
    expect(server.hits).toBe(0);
  });
});
