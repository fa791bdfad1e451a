import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, specs, type RequestSpec } from '../../src/index.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import {
  clean,
  keyOrder,
  normalize,
  post,
  record,
  records,
  TokenMap,
  type Transcript,
} from './helpers.js';

/**
 * The flows of test/fixtures/transcripts.json, replayed in order against the in-memory authnzerver: through the
 * generated client where our client accepts the body, and as raw envelopes where it refuses one (the recording
 * used the Python client, which sends anything). Every step must give the real step's HTTP status, success
 * value, messages, failure reason and reply (same keys in the same order, same values but for tokens, UUIDs and
 * datetimes). Real tokens in later bodies are mapped onto the ones the test server made.
 *
 * Not replayed here (each is covered elsewhere or cannot be):
 * - protocol probes (raw posts with wrong secrets, broken bodies, other paths and methods, GET /health):
 *   test/testing/protocol.test.ts holds those against their records;
 * - #155, the Python client with a wrong secret (a protocol probe), and #156, the Python client's local
 *   KeyError, where nothing was sent;
 * - #192-#202, failed log-ins 5 to 10 of the lock-out flow: the Python client timed out after 5 s while the
 *   server's back-off delay ran, so there is no real reply to compare; they are sent (the lock-out counts them)
 *   and must fail.
 */

const specOf = (type: string | null): RequestSpec | undefined =>
  type !== null && Object.hasOwn(specs, type)
    ? (specs as Record<string, RequestSpec>)[type]
    : undefined;

/** Calls of the recording that are not steps of a flow. */
const NOT_FLOW_STEPS: ReadonlySet<number> = new Set([
  155, // the Python client with a wrong secret: a protocol probe (protocol.test.ts)
  156, // the Python client's local KeyError: nothing was sent
]);
const isProbe = (r: Transcript): boolean =>
  !r.via.startsWith('authnzerver.client') || NOT_FLOW_STEPS.has(r.seq);
const replayable = records.filter((r) => specOf(r.request_type) !== undefined && !isProbe(r));
const timedOut = (r: Transcript): boolean => r.status_code === null;

/** The recording's clock: the first session was made at 02:17:41 on 2026-11-29 (UTC). */
const RECORDED_AT = Date.parse('2026-11-29T02:17:40.000Z');
const adminLogin = record(80).request_body as { email: string; password: string };

let server: AuthnzerverTestServer;
let client: Authnzerver;
const started = performance.now();
const outcomes: {
  record: Transcript;
  status: number;
  envelope?: Record<string, unknown>;
  via: string;
}[] = [];

describe('the transcripts replayed against the in-memory authnzerver', () => {
  beforeAll(async () => {
    server = await createTestServer({
      now: () => RECORDED_AT + (performance.now() - started),
      authnzerver: { admin: { email: adminLogin.email, password: adminLogin.password } },
      loginBackoff: { scale: 0 },
    });
    client = new Authnzerver({ url: server.url, secret: server.secret, retry: false });
    const tokens = new TokenMap();
    for (const r of replayable) {
      const body = tokens.rewrite(r.request_body ?? {});
      const reqid = r.raw_response?.reqid ?? `replay-${r.seq}`;
      const envelope = {
        request: r.request_type,
        body,
        reqid,
        client_ipaddr: body.client_ipaddr,
      };
      const spec = specOf(r.request_type)!;
      if (spec.body.safeParse(body).success) {
        // Through the generated client: its typed method for this request type.
        const method = (
          client as unknown as Record<string, (b: unknown, o: unknown) => Promise<any>>
        )[spec.method]!.bind(client);
        const result = await method(body, { reqid });
        const sent = server.received.at(-1)!;
        expect(sent.envelope).toEqual(envelope);
        const statusCode: number = result.statusCode ?? 0;
        const rebuilt =
          statusCode === 200
            ? {
                success: result.success,
                response: {
                  success: result.success,
                  ...result.response,
                  messages: result.messages,
                },
                messages: result.messages,
                failureReason: result.failureReason,
              }
            : undefined;
        outcomes.push({
          record: r,
          status: statusCode,
          ...(rebuilt ? { envelope: rebuilt } : {}),
          via: 'client',
        });
        if (r.raw_response !== null && rebuilt !== undefined)
          tokens.learn(r.raw_response.response, rebuilt.response);
      } else {
        const reply = await post(server.url, server.secret, envelope);
        outcomes.push({
          record: r,
          status: reply.status,
          ...(reply.envelope ? { envelope: reply.envelope } : {}),
          via: 'raw',
        });
        if (r.raw_response !== null && reply.envelope !== undefined)
          tokens.learn(r.raw_response.response, reply.envelope.response);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  describe('every call and its status', callsAndStatuses);
  describe('the replies', replies);
});

function callsAndStatuses(): void {
  it('replays every call of the supported flows', () => {
    expect(outcomes).toHaveLength(replayable.length);
    expect(replayable.length).toBeGreaterThan(180);
    // Through the client for the most part; raw only where our client refuses the body.
    expect(outcomes.filter((o) => o.via === 'client').length).toBeGreaterThan(130);
  });

  it('gives the real HTTP status for every step', () => {
    const mismatches = outcomes
      .filter((o) => !timedOut(o.record) && o.status !== o.record.status_code)
      .map((o) => `#${o.record.seq} ${o.record.label}: ${o.status} (real ${o.record.status_code})`);
    expect(mismatches).toEqual([]);
  });
}

function replies(): void {
  it('gives the real success value, messages, failure reason and reply for every step', () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const o of outcomes) {
      const real = o.record.raw_response;
      if (real === null || o.envelope === undefined) continue;
      compared++;
      const ours = o.envelope;
      const label = `#${o.record.seq} ${o.record.label}`;
      if (o.via === 'client') {
        const expected = {
          success: real.success,
          response: normalize({
            success: real.success,
            ...clean(real.response),
            messages: real.messages,
          }),
          messages: normalize(real.messages),
          failureReason: real.failure_reason ?? null,
        };
        const actual = {
          success: ours.success,
          response: normalize(ours.response),
          messages: normalize(ours.messages),
          failureReason: ours.failureReason,
        };
        try {
          expect(actual).toEqual(expected);
        } catch {
          mismatches.push(
            `${label}\n  ours: ${JSON.stringify(actual)}\n  real: ${JSON.stringify(expected)}`,
          );
        }
      } else {
        const { reqid: _r1, ...realRest } = real;
        const { reqid: _r2, ...ourRest } = ours;
        try {
          expect(normalize(ourRest)).toEqual(normalize(realRest));
          expect(keyOrder(ourRest)).toEqual(keyOrder(realRest));
        } catch {
          mismatches.push(
            `${label}\n  ours: ${JSON.stringify(ourRest)}\n  real: ${JSON.stringify(realRest)}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(replayable.filter((r) => r.raw_response !== null).length);
    expect(compared).toBeGreaterThan(170);
  });

  it('answers the timed-out log-ins of the lock-out flow with failures, then locks the account', () => {
    const late = outcomes.filter((o) => timedOut(o.record));
    expect(late.map((o) => o.record.seq)).toEqual([192, 194, 196, 198, 200, 202]);
    for (const o of late) expect(o.envelope?.success).toBe(false);
    const locked = outcomes.find((o) => o.record.seq === 204)!;
    expect(locked.envelope?.messages).toEqual(record(204).raw_response!.messages);
  });
}
