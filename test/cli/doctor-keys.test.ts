import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { catalogueHandler } from '../helpers/catalogue-handler.js';
import { fingerprint } from '../helpers/rotation.js';
import { runMain, startProxy, type Proxy } from './helpers.js';

/**
 * `authnzerver doctor` with several keys: it says which of them the server accepts, by position and fingerprint,
 * never printing a key; and, behind a load balancer whose servers hold different keys, that the fleet is split.
 * It runs the CLI's `main` in this process, against real HTTP on loopback.
 */

const OLD = generateFernetKey();
const NEW = generateFernetKey();

describe('doctor with several keys', () => {
  let oldServer: ProtocolServer;
  let newServer: ProtocolServer;
  let proxy: Proxy;
  beforeAll(async () => {
    oldServer = await startProtocolServer({ secret: OLD, handler: catalogueHandler });
    newServer = await startProtocolServer({ secret: NEW, handler: catalogueHandler });
    proxy = await startProxy([oldServer, newServer]);
  });
  afterAll(async () => {
    await Promise.all([proxy.close(), oldServer.close(), newServer.close()]);
  });

  it('says which key the server accepts, by position and fingerprint, never the key', async () => {
    const { code, out } = await runMain(['doctor'], {
      AUTHNZERVER_URL: oldServer.url,
      AUTHNZERVER_SECRET: `${OLD}, ${NEW}`,
    });
    expect(code).toBe(0);
    expect(out).toContain(
      `secret: 2 valid Fernet keys (from AUTHNZERVER_SECRET: 1 = ${fingerprint(OLD)}, 2 = ${fingerprint(NEW)}); not shown`,
    );
    expect(out).toContain(
      `✓ keys: key 1 (${fingerprint(OLD)}) accepted, key 2 (${fingerprint(NEW)}) refused (HTTP 401)`,
    );
    expect(out).toContain('VERDICT: OK');
    for (const key of [OLD, NEW]) expect(out).not.toContain(key);
  });

  it('after the servers moved to the second key, it says to put that key first', async () => {
    const { code, out } = await runMain(['doctor'], {
      AUTHNZERVER_URL: newServer.url,
      AUTHNZERVER_SECRET: `${OLD},${NEW}`,
    });
    expect(code).toBe(0);
    expect(out).toContain(
      `keys: key 1 (${fingerprint(OLD)}) refused (HTTP 401), key 2 (${fingerprint(NEW)}) accepted; the servers use key 2: put it first in the list`,
    );
  });

  it('behind a load balancer whose servers hold different keys: the fleet is split', async () => {
    const { out } = await runMain(['doctor'], {
      AUTHNZERVER_URL: proxy.url,
      AUTHNZERVER_SECRET: `${NEW},${OLD}`,
    });
    expect(out).toContain('  - keys: key 1 (');
    expect(out).toMatch(
      /key 1 \(\w{8}\) accepted by 2 of 4 sends, refused by 2, key 2 \(\w{8}\) accepted by 2 of 4 sends, refused by 2; the servers behind this address hold different keys \(a rotation in progress\)/,
    );
    expect(out).toContain('VERDICT: OK');
  });

  it('one key: the fingerprint, and no keys line', async () => {
    const { code, out } = await runMain(['doctor'], {
      AUTHNZERVER_URL: oldServer.url,
      AUTHNZERVER_SECRET: OLD,
    });
    expect(code).toBe(0);
    expect(out).toContain(
      `a valid Fernet key (from AUTHNZERVER_SECRET, fingerprint ${fingerprint(OLD)})`,
    );
    expect(out).not.toContain('keys:');
  });
});
