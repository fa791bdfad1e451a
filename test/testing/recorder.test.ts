import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTranscripts } from '../../codegen/tools/transcripts.js';
import { Authnzerver } from '../../src/index.js';
import { createRecorder, type Recorder } from '../../src/testing/recorder.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/test-server.js';
import { WRITE_BODY } from '../helpers/catalogue-handler.js';
import { runCli } from '../helpers/codegen-cli.js';

/**
 * The recorder (`createRecorder` of authnzerver/testing): real calls through the client's hooks to the test server
 * over loopback HTTP become records of the transcripts format, with every secret redacted; saved, they are what
 * `authnzerver-codegen drift --transcripts` and `infer` read.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE_KEYS = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/transcripts.json'), 'utf8')) as object[])[1]!,
);
const PASSWORD = 'Correct-Horse-Battery-9-never-recorded';
const IP = WRITE_BODY.client_ipaddr;

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'authnzerver-record-'));
let server: AuthnzerverTestServer;
let client: Authnzerver;
let recorder: Recorder;
let token: string;

describe('createRecorder on a client talking to the test server', () => {
  beforeAll(async () => {
    server = await createTestServer({ loginBackoff: false });
    server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    recorder = createRecorder();
    client = new Authnzerver({ url: server.url, secret: server.secret, hooks: recorder.hooks });
    const session = await client.sessionNew(WRITE_BODY);
    if (!session.success) throw new Error(`session-new failed: ${session.failureReason}`);
    token = session.response.session_token;
    await client.sessionExists({ session_token: token, client_ipaddr: IP });
    await client.sessionExists({ session_token: 'no-such-session-token', client_ipaddr: IP });
    await client.userLogin({
      session_token: token,
      email: 'ada@example.com',
      password: PASSWORD,
      client_ipaddr: IP,
    });
    await client.userLogin({
      session_token: token,
      email: 'ada@example.com',
      password: 'wrong-password-never-recorded',
      client_ipaddr: IP,
    });
    // A reply that is not an envelope: the record has no raw_response, and a note of the failure kind.
    server.fault({ kind: 'status', status: 500 });
    await client.sessionDelete({ session_token: token, client_ipaddr: IP }, { retry: false });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the records', records);
  describe('saving, and the limit', savingAndLimits);
});

function records(): void {
  it('records every attempt that got a reply, in the transcripts format', () => {
    const entries = recorder.entries();
    expect(entries.map((e) => e.label)).toEqual([
      'session-new success',
      'session-exists success',
      'session-exists rejected',
      'user-login success',
      'user-login rejected',
      'session-delete server-error',
    ]);
    for (const entry of entries)
      expect(Object.keys(entry)).toEqual(expect.arrayContaining(FIXTURE_KEYS));
    for (const entry of entries.slice(0, 5))
      expect(Object.keys(entry).sort()).toEqual([...FIXTURE_KEYS].sort());
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const [created, , missing] = entries;
    expect(created).toMatchObject({
      request_type: 'session-new',
      success: true,
      status_code: 200,
      envelope: { request: 'session-new', client_ipaddr: IP },
      request_body: { ip_address: IP, user_agent: 'test', client_ipaddr: IP },
      raw_response: { success: true, response: { success: true } },
    });
    expect(created!.envelope!.reqid).toBe(created!.raw_response!.reqid);
    expect(missing).toMatchObject({
      success: false,
      response: { session_info: null },
      failure_reason: 'session does not exist or expired',
    });
    expect(entries[5]).toMatchObject({
      status_code: 500,
      success: null,
      raw_response: null,
      note: 'failure: server-error',
    });
  });

  it('redacts every secret: tokens and passwords, in bodies and replies', () => {
    const text = JSON.stringify(recorder);
    expect(text).not.toContain(token);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('wrong-password-never-recorded');
    const [created, exists, , login] = recorder.entries();
    expect(created!.raw_response!.response.session_token).toBe('[redacted]');
    expect(created!.response!.session_token).toBe('[redacted]');
    expect(exists!.request_body!.session_token).toBe('[redacted]');
    expect(
      (exists!.raw_response!.response.session_info as Record<string, unknown>).session_token,
    ).toBe('[redacted]');
    expect(login!.request_body).toMatchObject({
      password: '[redacted]',
      session_token: '[redacted]',
    });
  });
}

function savingAndLimits(): void {
  it('saved, it fits the catalogue (drift --transcripts) and infer learns the shapes from it', async () => {
    const path = join(dir, 'sub', 'recorded.json');
    await recorder.save(path);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as unknown[];
    expect(saved).toEqual(JSON.parse(JSON.stringify(recorder)));
    expect(loadTranscripts(saved, 'recorded.json').replies).toHaveLength(5);

    const drift = await run('drift', '--transcripts', path);
    expect(drift.code, drift.out + drift.err).toBe(0);
    expect(drift.out).toContain('fits 5 recorded replies');

    const inferred = await run(
      'infer',
      '--transcripts',
      path,
      '--type',
      'session-exists',
      '--type',
      'session-new',
    );
    expect(inferred.code, inferred.err).toBe(0);
    // The session's token is redacted inside session_info, and SessionInfo is still recognised.
    expect(inferred.out).toContain('    success:\n      session_info: SessionInfo\n');
    // A redacted top-level key keeps the catalogue's type, marked secret.
    expect(inferred.out).toContain(
      '      session_token:\n        type: str\n        secret: true\n',
    );
  });

  it('keeps at most max records, counts the rest, and clear() starts again', async () => {
    const small = createRecorder({ max: 1, label: (event) => `call of ${event.type}` });
    const limited = new Authnzerver({ url: server.url, secret: server.secret, hooks: small.hooks });
    try {
      await limited.sessionExists({ session_token: 'x', client_ipaddr: IP });
      await limited.sessionExists({ session_token: 'y', client_ipaddr: IP });
      expect(small.entries().map((e) => e.label)).toEqual(['call of session-exists']);
      expect(small.dropped).toBe(1);
      small.clear();
      expect([small.entries().length, small.dropped]).toEqual([0, 0]);
    } finally {
      await limited.close();
    }
  });
}
