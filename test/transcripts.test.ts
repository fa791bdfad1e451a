import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authnzerver,
  REQUEST_TYPES,
  RequestValidationError,
  specs,
  type RequestSpec,
} from '../src/index.js';
import { isDatabaseFailure } from '../src/core/result.js';
import { startProtocolServer, type ProtocolServer } from '../src/testing/protocol-server.js';
import { expectFaultsConsumed } from './helpers/fault-accounting.js';
import { fixture } from './helpers/fixtures.js';

/**
 * The catalogue held against 207 real calls to the server (test/fixtures/transcripts.json): every reply parses
 * with the generated schema for its type and outcome, and every request body passes or fails our validation as
 * the server's own validation judged it.
 */

interface Transcript {
  seq: number;
  label: string;
  request_type: string | null;
  request_body: Record<string, unknown> | null;
  status_code: number | null;
  raw_response: {
    success: boolean;
    response: Record<string, unknown>;
    messages: string[];
    reqid: string | number;
  } | null;
}

const records = fixture<Transcript[]>('transcripts.json');
const specOf = (type: string | null): RequestSpec | undefined =>
  type !== null && type in specs ? (specs as Record<string, RequestSpec>)[type] : undefined;

function clean(action: Record<string, unknown>): Record<string, unknown> {
  const { success: _s, messages: _m, failure_reason: _f, ...rest } = action;
  return rest;
}

function invalidParams(record: Transcript): { param: string }[] | undefined {
  const inner = record.raw_response?.response.response as
    { problems?: { param: string }[] } | undefined;
  return record.raw_response?.success === false ? inner?.problems : undefined;
}

const replies = records.filter(
  (r) => r.status_code === 200 && r.raw_response !== null && specOf(r.request_type),
);
const judged = replies.filter((r) => r.request_body !== null);

/**
 * Bodies the server took but our types refuse, on purpose. Each was a deliberate probe of the server's lenient
 * checks, and each ended in a failure (or, for user-list, a meaningless empty list): sending them is a bug.
 * One is the client's own rule, shared with the Python client.
 */
const STRICTER_BY_DESIGN: Record<string, string> = {
  'session-new wrong type user_id (str)':
    'int | None: the server lets any value through a union with None',
  'user-new wrong kwarg type extra_info (str)':
    'dict | None: the same leniency; the server then fails in the DB',
  'user-list wrong type': 'int | None: the server lets "abc" through and returns []',
  'user-lock invalid action':
    "the action accepts only 'lock' or 'unlock'; the server checks it in the action",
  'internal-user-lock invalid action': "the action accepts only 'lock' or 'unlock'",
  'user-set-emailsent bad email_type': "email_type accepts only 'signup' or 'forgotpass'",
  'client_ipaddr only at top level (not in body)':
    'like the Python client, ours takes client_ipaddr from the body and copies it to the envelope',
};

describe('the catalogue against the real server transcripts (test/fixtures/transcripts.json)', () => {
  it('covers every one of the 38 request types', () => {
    expect(REQUEST_TYPES).toHaveLength(38);
    const seen = new Set(records.map((r) => r.request_type));
    expect(REQUEST_TYPES.filter((type) => !seen.has(type))).toEqual([]);
  });

  it('every reply parses with the schema of its type and outcome: zero mismatches', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const record of replies) {
      if (invalidParams(record) !== undefined) continue;
      const spec = specOf(record.request_type) as RequestSpec;
      const raw = record.raw_response!;
      const schema = raw.success ? spec.success : spec.failure;
      const parsed = schema.safeParse(clean(raw.response));
      checked++;
      if (!parsed.success) {
        mismatches.push(
          `#${record.seq} ${record.label}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
    }
    expect(checked).toBeGreaterThan(140);
    expect(mismatches).toEqual([]);
  });

  it('every body the server refused as invalid parameters, ours refuses too, naming the same parameters', () => {
    const refused = judged.filter((r) => invalidParams(r) !== undefined);
    expect(refused.length).toBeGreaterThan(15);
    for (const record of refused) {
      const parsed = specOf(record.request_type)!.body.safeParse(record.request_body);
      expect(parsed.success, `#${record.seq} ${record.label}`).toBe(false);
      if (parsed.success) continue;
      const ours = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
      for (const problem of invalidParams(record)!) {
        expect(ours, `#${record.seq} ${record.label}: ${problem.param}`).toContain(problem.param);
      }
    }
  });

  it('every body the server ran, ours accepts, except the stricter types listed with their reasons', () => {
    const ran = judged.filter((r) => invalidParams(r) === undefined);
    const refusedByUs = ran
      .filter((r) => !specOf(r.request_type)!.body.safeParse(r.request_body).success)
      .map((r) => r.label);
    expect(refusedByUs.sort()).toEqual(Object.keys(STRICTER_BY_DESIGN).sort());
    // None of them succeeded on the server but user-list's meaningless empty list.
    for (const record of ran.filter((r) => r.label in STRICTER_BY_DESIGN)) {
      if (record.request_type === 'user-list' || record.label.startsWith('client_ipaddr')) continue;
      expect(record.raw_response!.success, record.label).toBe(false);
    }
  });
});

describe('the transcripts replayed through the client', () => {
  let server: ProtocolServer;
  let client: Authnzerver;
  beforeAll(async () => {
    server = await startProtocolServer();
    client = new Authnzerver({ url: server.url, secret: server.secret });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  expectFaultsConsumed(() => server);

  it('each real reply comes back as a tuple of the outcome the Python client saw', async () => {
    let replayed = 0;
    for (const record of judged) {
      const raw = record.raw_response!;
      if (!specOf(record.request_type)!.body.safeParse(record.request_body).success) continue;
      server.fault({ kind: 'reply', envelope: raw });
      const result = await client.request(
        record.request_type!,
        record.request_body as never,
        raw.reqid,
      );
      replayed++;
      expect(server.pendingFaults(), `#${record.seq}: the reply fault was not used`).toBe(0);
      // The Python client saw `success: false`; a `failure_reason` in one of the server's database wordings is our
      // own kind (database-error). In these transcripts the server words three malformed `session-new` bodies so.
      const expected = raw.success
        ? null
        : invalidParams(record) !== undefined
          ? 'invalid-params'
          : isDatabaseFailure(raw.response['failure_reason'] as string | undefined)
            ? 'database-error'
            : 'rejected';
      expect(result.failure, `#${record.seq} ${record.label}: ${result.failureReason ?? ''}`).toBe(
        expected,
      );
      expect(result.success).toBe(raw.success);
      expect(result.response).toEqual(clean(raw.response));
      expect(result.messages).toEqual(raw.messages);
    }
    expect(replayed).toBeGreaterThan(120);
  });

  it('a body our schema refuses is never sent', async () => {
    const hits = server.hits;
    const record = judged.find((r) => r.label === 'user-list wrong type')!;
    await expect(client.request('user-list', record.request_body as never)).rejects.toThrow(
      RequestValidationError,
    );
    expect(server.hits).toBe(hits);
  });
});
