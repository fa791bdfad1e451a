import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { ConfigError, generateFernetKey, type AuthnzerverOptions } from '../../src/runtime.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { UndiciDispatchTransport } from '../../src/transport/undici.js';
import { makeTestPki, type TestPki } from '../helpers/pki.js';

/**
 * The client's TLS files without nginx: what is refused when the client is made (a key that is not the
 * certificate's, a file that is not PEM, a file that cannot be read), and a mismatched certificate and key on the
 * wire (the undici transport against a TLS protocol server: `tls`, not sent). The same files through nginx:
 * test/client/tls.test.ts.
 */

const URL_ = 'https://127.0.0.1:13431/';
const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const CERT = fixture('cert.pem');
const KEY_PEM = fixture('key.pem');
const OTHER_KEY = fixture('other-key.pem');

// The construction tests make a test PKI with the openssl CLI: without it they are skipped, with the reason printed.
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 10_000 });
const noOpenssl =
  openssl.status === 0
    ? undefined
    : `openssl cannot be run: ${openssl.error?.message ?? openssl.stderr}`;
if (noOpenssl !== undefined) {
  console.warn(`test/client/tls-files.test.ts: skipping the TLS file checks: ${noOpenssl}`);
}

describe.skipIf(noOpenssl !== undefined)('TLS files refused when the client is made', () => {
  let pki: TestPki;
  const secret = generateFernetKey();
  const clients: Authnzerver[] = [];
  const client = (options: Partial<AuthnzerverOptions>): Authnzerver => {
    const made = new Authnzerver({ url: URL_, secret, env: {}, ...options });
    clients.push(made);
    return made;
  };

  beforeAll(() => {
    pki = makeTestPki();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((made) => made.close()));
  });
  afterAll(() => {
    pki.remove();
  });

  it('a key that does not belong to the certificate, or a file that is not PEM, is a ConfigError at construction', () => {
    const refuse = (options: Partial<AuthnzerverOptions>, option: string, words: RegExp): void => {
      let thrown: unknown;
      try {
        client(options);
      } catch (error) {
        thrown = error;
      }
      expect(ConfigError.is(thrown)).toBe(true);
      expect((thrown as ConfigError).option).toBe(option);
      expect((thrown as ConfigError).message).toMatch(words);
    };
    refuse(
      {
        tlsCertFile: pki.client.certFile,
        tlsKeyFile: pki.otherCaClient.keyFile,
        tlsCaFile: pki.caFile,
      },
      'tlsKeyFile',
      /does not belong to the certificate of `tlsCertFile` \(ERR_OSSL_X509_KEY_VALUES_MISMATCH\)/,
    );
    refuse(
      { tlsCertFile: pki.client.keyFile, tlsKeyFile: pki.client.keyFile, tlsCaFile: pki.caFile },
      'tlsCertFile',
      /not a usable PEM certificate/,
    );
    refuse(
      { tlsCertFile: pki.client.certFile, tlsKeyFile: pki.client.certFile, tlsCaFile: pki.caFile },
      'tlsKeyFile',
      /not a usable PEM private key/,
    );
    refuse(
      {
        tlsCertFile: pki.client.certFile,
        tlsKeyFile: pki.client.keyFile,
        tlsCaFile: pki.client.keyFile,
      },
      'tlsCaFile',
      /not a PEM certificate/,
    );
  });

  it('an unreadable TLS file named by a variable is a ConfigError at construction', () => {
    // A missing file and a directory: unreadable even as root, for whom file modes do not count.
    const dir = mkdtempSync(join(tmpdir(), 'authnzerver-unreadable-'));
    try {
      const good = {
        AUTHNZERVER_URL: URL_,
        AUTHNZERVER_SECRET: secret,
        AUTHNZERVER_TLS_CERTFILE: pki.client.certFile,
        AUTHNZERVER_TLS_KEYFILE: pki.client.keyFile,
        AUTHNZERVER_TLS_CAFILE: pki.caFile,
      };
      const cases = [
        ['AUTHNZERVER_TLS_CERTFILE', 'tlsCertFile'],
        ['AUTHNZERVER_TLS_KEYFILE', 'tlsKeyFile'],
        ['AUTHNZERVER_TLS_CAFILE', 'tlsCaFile'],
      ] as const;
      for (const [envVar, option] of cases) {
        for (const [path, reason] of [
          [join(dir, 'missing.pem'), 'ENOENT'],
          [dir, 'EISDIR'],
        ] as const) {
          let thrown: unknown;
          try {
            clients.push(new Authnzerver({ env: { ...good, [envVar]: path } }));
          } catch (error) {
            thrown = error;
          }
          expect(ConfigError.is(thrown), `${envVar}=${path}`).toBe(true);
          const error = thrown as ConfigError;
          expect(error.option).toBe(option);
          expect(error.envVar).toBe(envVar);
          expect(error.message).toContain(envVar);
          expect(error.message).toContain(reason);
          expect(error.message).toContain(path);
          expect(error.message).not.toContain(secret);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the undici transport with a mismatched certificate and key', () => {
  let server: ProtocolServer;
  let transport: UndiciDispatchTransport;
  beforeAll(async () => {
    server = await startProtocolServer({ tls: { cert: CERT, key: KEY_PEM } });
    transport = new UndiciDispatchTransport({
      connectTimeout: 5000,
      keepAliveTimeout: 1000,
      connections: 1,
      tls: { cert: CERT, key: OTHER_KEY, ca: CERT },
    });
  });
  afterAll(async () => {
    await transport.close();
    await server.close();
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
