import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../../src/index.js';
import { startProtocolServer, type ProtocolServer } from '../../../src/testing/protocol-server.js';
import { catalogueHandler } from '../../helpers/catalogue-handler.js';
import { closedPort } from '../../helpers/processes.js';
import { selfSigned, type SelfSigned } from '../../helpers/tls.js';
import { runBin, runMain, startProxy } from '../helpers.js';

/**
 * `authnzerver doctor`: its verdicts and exit codes, against the test server on loopback: as the built bin, and
 * in this process (`main`) for the verdicts that need a TLS server, a proxy or a fault.
 */

let server: ProtocolServer;
let env: Record<string, string>;

describe('authnzerver doctor', () => {
  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
    env = { AUTHNZERVER_URL: server.url, AUTHNZERVER_SECRET: server.secret };
  });

  afterAll(async () => {
    await server.close();
  });

  describe('answers and failures', answersAndFailures);
  describe('https, and servers that are not quite authnzervers', httpsAndOddServers);
});

function answersAndFailures(): void {
  it('a healthy server: OK, exit 0', async () => {
    const result = await runBin(['doctor'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('VERDICT: OK');
    expect(result.stdout).toMatch(/latency: [\d.]+ ms median round trip/);
    expect(result.stdout).toMatch(/clock skew: [+-]\d+ s/);
    expect(result.stdout).not.toContain(server.secret);
  });

  it('a server with another secret: FAIL, refuses our key, exit 1', async () => {
    const result = await runBin(['doctor'], { ...env, AUTHNZERVER_SECRET: generateFernetKey() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('refuses our key (HTTP 401)');
  });

  it('a closed port: FAIL, nothing answers, exit 2', async () => {
    const result = await runBin(
      ['doctor', '--url', `http://127.0.0.1:${await closedPort()}/`],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('VERDICT: FAIL, nothing answers at');
    expect(result.stdout).toContain('ECONNREFUSED');
  });

  it('a configuration error: names what to fix, exit 2', async () => {
    const result = await runBin(['doctor'], {
      AUTHNZERVER_URL: server.url,
      AUTHNZERVER_SECRET: 'too short',
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('VERDICT: configuration error. Fix AUTHNZERVER_SECRET');
    expect(result.stdout).not.toContain('too short');
  });
}

function httpsAndOddServers(): void {
  describe('over https', () => {
    let cert: SelfSigned;
    let tlsServer: ProtocolServer;
    beforeAll(async () => {
      cert = selfSigned();
      tlsServer = await startProtocolServer({
        handler: catalogueHandler,
        tls: { cert: cert.cert, key: cert.key },
      });
    });
    afterAll(async () => {
      await tlsServer.close();
      cert.remove();
    });

    it('names the TLS files, the protocol and the server certificate: OK, exit 0', async () => {
      const { code, out } = await runMain(['doctor', '--tls-ca', cert.certFile], {
        AUTHNZERVER_URL: tlsServer.url,
        AUTHNZERVER_SECRET: tlsServer.secret,
      });
      expect(out).toContain(`  ✓ TLS files: ${cert.certFile}\n`);
      expect(out).toMatch(
        /✓ TLS: TLSv1\.[23], server certificate for 127\.0\.0\.1, valid until .+; client certificate not sent\n/,
      );
      expect(out).toContain('VERDICT: OK');
      expect(code).toBe(0);
    });

    it('a handshake that fails: FAIL, exit 1, and no request sent', async () => {
      const hits = tlsServer.hits;
      const { code, out } = await runMain(['doctor'], {
        AUTHNZERVER_URL: tlsServer.url,
        AUTHNZERVER_SECRET: tlsServer.secret,
      });
      expect(out).toContain('  ✓ TLS files: none (system CAs, no client certificate)\n');
      expect(out).toContain('  ✗ TLS: the handshake failed: DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(out).toContain(
        `VERDICT: FAIL, TLS to 127.0.0.1:${tlsServer.port} fails (the handshake failed: DEPTH_ZERO_SELF_SIGNED_CERT`,
      );
      expect(out).toContain('Check the server certificate and --tls-ca.');
      expect(code).toBe(1);
      expect(tlsServer.hits).toBe(hits);
    });
  });

  it('a server that answers, but not as an authnzerver does: FAIL, exit 1', async () => {
    server.fault({ kind: 'html-404' });
    const { code, out } = await runMain(['doctor'], env);
    expect(server.pendingFaults()).toBe(0);
    expect(out).toContain('  ✓ server: answers at');
    expect(out).toContain('  ✗ key: not-found: ');
    expect(out).toContain(
      `VERDICT: FAIL, the server at ${new URL(server.url).origin} answers, but not as an authnzerver does (not-found).`,
    );
    expect(code).toBe(1);
  });

  it('a server whose clock is an hour ahead: WARN, exit 1', async () => {
    const ahead = await startProxy([server], (headers) => ({
      ...headers,
      date: new Date(Date.now() + 3_600_000).toUTCString(),
    }));
    try {
      const { code, out } = await runMain(['doctor'], { ...env, AUTHNZERVER_URL: ahead.url });
      // The Date header has whole seconds, and the call takes a moment: 3600 s give or take one.
      expect(out).toMatch(/✗ clock skew: \+(3599|3600|3601) s \(server minus this machine\)\n/);
      expect(out).toMatch(
        /VERDICT: WARN, the server works, but its clock is (3599|3600|3601) s off this machine's: session and API key expiry will be off by as much\./,
      );
      expect(code).toBe(1);
    } finally {
      await ahead.close();
    }
  });
}
