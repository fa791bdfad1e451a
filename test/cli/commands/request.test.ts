import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../../src/index.js';
import { startProtocolServer, type ProtocolServer } from '../../../src/testing/protocol-server.js';
import { SECRETS, catalogueHandler } from '../../helpers/catalogue-handler.js';
import { closedPort } from '../../helpers/processes.js';
import { runBin } from '../helpers.js';

/** `authnzerver request`, run as the built bin against the test server. */

let server: ProtocolServer;
let env: Record<string, string>;
let dir: string;

describe('authnzerver request', () => {
  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
    env = { AUTHNZERVER_URL: server.url, AUTHNZERVER_SECRET: server.secret };
    dir = mkdtempSync(join(tmpdir(), 'authnzerver-cli-'));
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('what it prints', printing);
  describe('its input, checked before sending', input);
});

function printing(): void {
  it("prints the tuple as JSON and exits 0 on success, masking the reply's secrets", async () => {
    const result = await runBin(
      [
        'request',
        'session-exists',
        '--body',
        JSON.stringify({ session_token: SECRETS.sessionToken }),
      ],
      env,
    );
    expect(result.code).toBe(0);
    const tuple = JSON.parse(result.stdout);
    expect(tuple).toMatchObject({
      success: true,
      statusCode: 200,
      failure: null,
      failureReason: null,
      attempts: 1,
    });
    expect(tuple.response.session_info.user_id).toBe(4);
    expect(tuple.response.session_info.session_token).toBe('[redacted]');
    expect(result.stdout).not.toContain(SECRETS.sessionToken);
  });

  it('--show-secrets prints them', async () => {
    const result = await runBin(
      [
        'request',
        'session-new',
        '--show-secrets',
        '--body',
        JSON.stringify({
          ip_address: '203.0.113.1',
          user_agent: 'cli',
          user_id: null,
          expires: '2099-01-01T00:00:00.000000',
          extra_info_json: null,
        }),
      ],
      env,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).response.session_token).toBe(SECRETS.sessionToken);
  });

  it('exits 1 when the server turns the request down', async () => {
    const result = await runBin(
      ['request', 'session-exists', '--body', '{"session_token":"unknown"}'],
      env,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      success: false,
      failure: 'rejected',
      failureReason: 'session does not exist or expired',
    });
  });
}

function input(): void {
  it('reads the body from a file or standard input, sets the reqid (an integer stays one) and client_ipaddr', async () => {
    const file = join(dir, 'body.json');
    writeFileSync(file, JSON.stringify({ session_token: SECRETS.sessionToken }));
    const fromFile = await runBin(
      [
        'request',
        'session-exists',
        '--body',
        `@${file}`,
        '--reqid',
        '42',
        '--client-ip',
        '198.51.100.7',
      ],
      env,
    );
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).reqid).toBe(42);
    expect(server.received.at(-1)?.envelope).toMatchObject({
      reqid: 42,
      client_ipaddr: '198.51.100.7',
    });
    const fromStdin = await runBin(
      ['request', 'session-exists', '--body', '-', '--reqid', 'abc'],
      env,
      JSON.stringify({ session_token: SECRETS.sessionToken }),
    );
    expect(fromStdin.code).toBe(0);
    expect(server.received.at(-1)?.envelope).toMatchObject({
      reqid: 'abc',
      client_ipaddr: '127.0.0.1',
    });
  });

  it('validates the body against the catalogue first: exit 2, the field named, nothing sent, no value echoed', async () => {
    const hits = server.hits;
    const result = await runBin(
      [
        'request',
        'user-login',
        '--body',
        JSON.stringify({
          session_token: SECRETS.sessionToken,
          email: 'a@b.c',
          password: 5,
          remember: SECRETS.password,
        }),
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("invalid body for request 'user-login' (nothing was sent)");
    expect(result.stderr).toContain('password');
    expect(result.stderr + result.stdout).not.toContain(SECRETS.sessionToken);
    expect(result.stderr + result.stdout).not.toContain(SECRETS.password);
    expect(server.hits).toBe(hits);
    const notJson = await runBin(['request', 'session-exists', '--body', '{nope'], env);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('is not JSON');
  });

  it('exits 2 on a configuration or transport error, and never prints the secret', async () => {
    const missing = await runBin(['request', 'session-exists', '--body', '{"session_token":"x"}'], {
      AUTHNZERVER_SECRET: server.secret,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('AUTHNZERVER_URL');
    const refused = await runBin(
      [
        'request',
        'session-exists',
        '--body',
        '{"session_token":"x"}',
        '--url',
        `http://127.0.0.1:${await closedPort()}/`,
      ],
      env,
    );
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      failure: 'network',
      delivery: 'not-sent',
    });
    const wrongKey = await runBin(
      ['request', 'session-exists', '--body', '{"session_token":"x"}'],
      {
        ...env,
        AUTHNZERVER_SECRET: generateFernetKey(),
      },
    );
    expect(wrongKey.code).toBe(2);
    expect(JSON.parse(wrongKey.stdout).failure).toBe('unauthorized');
    const badKey = await runBin(
      ['request', 'session-exists', '--body', '{}', '--secret', 'not-a-key-but-a-secret-value'],
      env,
    );
    expect(badKey.code).toBe(2);
    for (const output of [missing, refused, wrongKey, badKey]) {
      expect(output.stdout + output.stderr).not.toContain(server.secret);
    }
    expect(badKey.stderr).not.toContain('not-a-key-but-a-secret-value');
  });

  it('--list lists the request types', async () => {
    const result = await runBin(['request', '--list']);
    expect(result.stdout.trim().split('\n')).toHaveLength(38);
  });
}
