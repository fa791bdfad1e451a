import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authnzerver,
  ConfigError,
  REDACTED,
  RequestValidationError,
  redact,
  type AuthnzerverOptions,
  type Hooks,
  type Logger,
} from '../../src/index.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { SECRETS, catalogueHandler } from '../helpers/catalogue-handler.js';
import { expectFaultsConsumed } from '../helpers/fault-accounting.js';
import { runScript } from '../helpers/processes.js';

const IP = '203.0.113.7';

/** Collects everything a client logs or hands to its hooks, as text. */
function collector(): { lines: string[]; logger: Logger; hooks: Hooks } {
  const lines: string[] = [];
  const push =
    (prefix: string) =>
    (...args: unknown[]): void => {
      lines.push(
        `${prefix} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`,
      );
    };
  return {
    lines,
    logger: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') },
    hooks: {
      beforeRequest: push('beforeRequest'),
      afterResponse: push('afterResponse'),
      onRetry: push('onRetry'),
      onError: push('onError'),
    },
  };
}

describe('redaction', () => {
  it('replaces the catalogue paths and secret-named keys, without touching the original', () => {
    const value = {
      session_info: { user_id: 1, session_token: 'abc' },
      list: [{ tkn: 'x', keep: 1 }],
      password: 'p',
      new_password: 'n',
      refresh_token_expires: '2026-01-01',
      apikey: null,
      note: 'kept',
    };
    const copy = structuredClone(value);
    expect(redact(value, ['list[].keep'])).toEqual({
      session_info: { user_id: 1, session_token: REDACTED },
      list: [{ tkn: REDACTED, keep: REDACTED }],
      password: REDACTED,
      new_password: REDACTED,
      refresh_token_expires: '2026-01-01',
      apikey: null,
      note: 'kept',
    });
    expect(value).toEqual(copy);
  });
});

let server: ProtocolServer;

const make = (options: Partial<AuthnzerverOptions>): Authnzerver =>
  new Authnzerver({
    url: server.url,
    secret: server.secret,
    retry: { backoff: 5, maxBackoff: 10 },
    ...options,
  });

describe('hooks and logs', () => {
  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
  });

  afterAll(() => server.close());

  expectFaultsConsumed(() => server);

  describe('hooks', hookCalls);
  describe('logs', logLines);
});

function hookCalls(): void {
  it('hand redacted plaintext envelopes to beforeRequest and afterResponse', async () => {
    const before: unknown[] = [];
    const after: unknown[] = [];
    const client = make({
      hooks: { beforeRequest: (e) => before.push(e), afterResponse: (e) => after.push(e) },
    });
    await client.userLogin(
      {
        session_token: SECRETS.sessionToken,
        email: 'a@b.c',
        password: SECRETS.password,
        client_ipaddr: IP,
      },
      { reqid: 'r1' },
    );
    await client.sessionNew({
      ip_address: IP,
      user_agent: 'x',
      user_id: null,
      expires: '2099-01-01T00:00:00.000000',
      extra_info_json: null,
      client_ipaddr: IP,
    });
    await client.close();
    expect(before[0]).toEqual({
      type: 'user-login',
      reqid: 'r1',
      attempt: 1,
      envelope: {
        request: 'user-login',
        body: { session_token: REDACTED, email: 'a@b.c', password: REDACTED, client_ipaddr: IP },
        reqid: 'r1',
        client_ipaddr: IP,
      },
    });
    expect(after[0]).toMatchObject({
      type: 'user-login',
      statusCode: 200,
      success: true,
      failure: null,
      attempt: 1,
    });
    expect(after[1]).toMatchObject({
      type: 'session-new',
      envelope: {
        success: true,
        response: { session_token: REDACTED, expires: '2026-11-29T03:00:00.000000' },
      },
    });
  });

  it('call onError once for a failure, and not for a request the server turned down', async () => {
    const errors: unknown[] = [];
    const client = make({ hooks: { onError: (e) => errors.push(e) } });
    const rejected = await client.sessionExists({ session_token: 'unknown', client_ipaddr: IP });
    expect(rejected.failure).toBe('rejected');
    expect(errors).toEqual([]);
    server.fault({ kind: 'status', status: 503 }, 3);
    await client.sessionExists({ session_token: 'unknown', client_ipaddr: IP });
    await client.close();
    expect(errors).toEqual([
      expect.objectContaining({
        type: 'session-exists',
        attempts: 3,
        failure: 'server-error',
        statusCode: 503,
      }),
    ]);
  });

  it('a hook that throws or rejects never breaks the call; the failure is logged', async () => {
    const { lines, logger } = collector();
    const client = make({
      logger,
      hooks: {
        beforeRequest: () => {
          throw new Error('hook bug');
        },
        afterResponse: () => Promise.reject(new Error('async hook bug')),
      },
    });
    const result = await client.sessionExists({
      session_token: SECRETS.sessionToken,
      client_ipaddr: IP,
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await client.close();
    expect(result.success).toBe(true);
    expect(lines).toContain('error the beforeRequest hook failed: hook bug');
    expect(lines).toContain('error the afterResponse hook failed: async hook bug');
  });
}

function logLines(): void {
  it('log each attempt at debug, retries and failures at warn, nothing below the level', async () => {
    const debug = collector();
    const client = make({ logger: debug.logger, logLevel: 'debug' });
    server.fault({ kind: 'status', status: 503 });
    await client.sessionExists(
      { session_token: SECRETS.sessionToken, client_ipaddr: IP },
      { reqid: 'd1' },
    );
    await client.close();
    expect(
      debug.lines.filter((l) => l.startsWith('debug sending session-exists (reqid d1')),
    ).toHaveLength(2);
    expect(debug.lines.some((l) => l.startsWith('warn retrying session-exists (reqid d1)'))).toBe(
      true,
    );

    const warn = collector();
    const quiet = make({ logger: warn.logger });
    await quiet.sessionExists({ session_token: SECRETS.sessionToken, client_ipaddr: IP });
    server.fault({ kind: 'status', status: 500 });
    await quiet.sessionExists(
      { session_token: SECRETS.sessionToken, client_ipaddr: IP },
      { reqid: 'w1' },
    );
    await quiet.close();
    expect(warn.lines).toEqual([
      expect.stringMatching(/^warn session-exists \(reqid w1\) failed: server-error: HTTP 500/),
    ]);

    const silent = collector();
    const none = make({ logger: silent.logger, logLevel: 'silent' });
    server.fault({ kind: 'status', status: 500 });
    await none.sessionExists({ session_token: SECRETS.sessionToken, client_ipaddr: IP });
    await none.close();
    expect(silent.lines).toEqual([]);
  });

  it('AUTHNZERVER_LOG turns on a stderr logger; a bad value is a ConfigError', async () => {
    const script = `
      import { Authnzerver } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};
      const client = new Authnzerver({ url: process.argv[1], secret: process.argv[2] });
      const r = await client.userLogin({ session_token: process.argv[3], email: 'a@b.c', password: process.argv[4], client_ipaddr: '127.0.0.1' });
      await client.close();
      process.stdout.write(String(r.success));
    `;
    const run = await runScript(
      script,
      [server.url, server.secret, SECRETS.sessionToken, SECRETS.password],
      {
        env: { ...process.env, AUTHNZERVER_LOG: 'debug' },
      },
    );
    expect(run.stdout).toBe('true');
    expect(run.stderr).toContain('authnzerver debug: sending user-login');
    expect(run.stderr).toContain(REDACTED);
    expect(run.stderr).not.toContain(SECRETS.password);
    expect(run.stderr).not.toContain(SECRETS.sessionToken);
    expect(
      () =>
        new Authnzerver({
          url: server.url,
          secret: server.secret,
          env: { AUTHNZERVER_LOG: 'loud' },
        }),
    ).toThrow(ConfigError);
  });
}

describe('no secret ever leaks', () => {
  it('into a log line, a hook payload, a failure reason or an error message', async () => {
    const server = await startProtocolServer({ handler: catalogueHandler });
    const { lines, logger, hooks } = collector();
    const seen: string[] = [];
    const client = new Authnzerver({
      url: server.url,
      secret: server.secret,
      logger,
      logLevel: 'debug',
      hooks,
      retry: { backoff: 5, maxBackoff: 10, attemptTimeout: 200 },
    });
    const login = {
      session_token: SECRETS.sessionToken,
      email: 'alice@example.com',
      password: SECRETS.password,
      client_ipaddr: IP,
    };
    const record = (result: {
      failureReason: string | null;
      messages: readonly string[];
    }): void => {
      seen.push(result.failureReason ?? '', ...result.messages);
    };
    const faults = [
      { kind: 'reset', when: 'after-body' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429 },
      { kind: 'status', status: 401 },
      { kind: 'wrong-key' },
      { kind: 'wrong-reqid' },
      { kind: 'garbage', what: 'body' },
      { kind: 'garbage', what: 'http' },
      { kind: 'truncate' },
      { kind: 'delay', ms: 500 },
      { kind: 'html-404' },
    ] as const;

    record(await client.userLogin(login));
    record(await client.userLogin({ ...login, password: SECRETS.newPassword }));
    record(await client.sessionExists({ session_token: SECRETS.sessionToken, client_ipaddr: IP }));
    record(await client.sessionExists({ session_token: SECRETS.refreshToken, client_ipaddr: IP }));
    record(
      await client.apikeyNewNosession({
        issuer: 'test',
        audience: 'api',
        subject: '/x',
        apiversion: 1,
        expires_seconds: 60,
        not_valid_before: 0,
        user_id: 4,
        user_role: 'authenticated',
        ip_address: IP,
        refresh_expires: 60,
        refresh_nbf: 0,
        client_ipaddr: IP,
      }),
    );
    for (const fault of faults) {
      server.fault(fault);
      record(await client.userLogin(login, { timeout: 2000 }));
      server.fault(fault);
      record(
        await client.sessionExists(
          { session_token: SECRETS.sessionToken, client_ipaddr: IP },
          { timeout: 2000 },
        ),
      );
      expect(server.pendingFaults(), `${fault.kind}: faults no call met`).toBe(0);
    }
    // Programmer errors: the messages name fields, never values.
    for (const bad of [
      { ...login, password: 42 },
      { ...login, remember: SECRETS.password },
      { session_token: SECRETS.sessionToken, email: 'a', client_ipaddr: IP },
    ]) {
      const error = await client.userLogin(bad as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(RequestValidationError.is(error)).toBe(true);
      seen.push(
        String(error),
        JSON.stringify(error),
        JSON.stringify((error as RequestValidationError).issues),
      );
    }
    await client.close();
    await server.close();

    const everything = [...lines, ...seen].join('\n');
    expect(lines.length).toBeGreaterThan(40);
    for (const [name, secret] of [
      ...Object.entries(SECRETS),
      ['fernet key', server.secret] as const,
    ]) {
      expect(everything.includes(secret), `${name} leaked`).toBe(false);
    }
    expect(everything).toContain(REDACTED);
  });
});
