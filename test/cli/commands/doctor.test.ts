import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../../src/index.js';
import { startProtocolServer, type ProtocolServer } from '../../../src/testing/protocol-server.js';
import { catalogueHandler } from '../../helpers/catalogue-handler.js';
import { closedPort } from '../../helpers/processes.js';
import { runBin } from '../helpers.js';

/** `authnzerver doctor`: its verdicts and exit codes, run as the built bin against the test server. */

describe('authnzerver doctor', () => {
  let server: ProtocolServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
    env = { AUTHNZERVER_URL: server.url, AUTHNZERVER_SECRET: server.secret };
  });
  afterAll(async () => {
    await server.close();
  });

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
});
