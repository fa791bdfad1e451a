import { describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { databaseErrorReply } from '../../src/testing/protocol/replies.js';
import { tooLarge } from '../../src/transport/failures.js';
import { DEADLINE_MS, FAULT_TABLE, type FaultRow } from '../helpers/faults.js';
import {
  READ,
  WRITE,
  actionFor,
  failure,
  reply,
  runScript,
  status,
  success,
  type RunOptions,
  type Scripted,
} from '../helpers/call-harness.js';

/**
 * The fault table of docs/failures.md, row by row, through the call core alone: each fault is the transport outcome it
 * produces on the wire (the socket tests in test/faults.test.ts prove that mapping against a real server); the
 * core must give the table's failure kind in the table's number of attempts, and never send a write again
 * once it may have arrived.
 */

const OTHER_KEY = generateFernetKey();

type Side = 'read' | 'write';

/** What the faulted attempt gives on the wire, for each row. */
const FAULTED: Readonly<Record<string, (side: Side, run: RunOptions) => Scripted>> = {
  'connection refused': () => ({
    outcome: failure('network', 'not-sent', { code: 'ECONNREFUSED' }),
  }),
  'reset before the request was written': () => ({
    outcome: failure('network', 'maybe-sent', { code: 'ECONNRESET' }),
  }),
  'reset after the request line arrived': () => ({
    outcome: failure('network', 'maybe-sent', { code: 'ECONNRESET' }),
  }),
  'reset after the request was written': () => ({
    outcome: failure('network', 'maybe-sent', { code: 'UND_ERR_SOCKET' }),
  }),
  'slow headers, past the deadline': () => ({
    outcome: failure('timeout', 'maybe-sent'),
    expired: 'deadline',
    takes: DEADLINE_MS,
  }),
  // A write has no attempt timeout: its one attempt runs to the deadline.
  'slow headers, with an attempt timeout': (side) =>
    side === 'read'
      ? { outcome: failure('timeout', 'maybe-sent'), expired: 'attempt', takes: 300 }
      : { outcome: failure('timeout', 'maybe-sent'), expired: 'deadline', takes: DEADLINE_MS },
  'slow body, past the deadline': () => ({
    outcome: failure('timeout', 'maybe-sent', { gotHeaders: true }),
    expired: 'deadline',
    takes: DEADLINE_MS,
  }),
  'truncated body': () => ({
    outcome: failure('network', 'maybe-sent', { gotHeaders: true, code: 'UND_ERR_SOCKET' }),
  }),
  'garbage body': () => ({ outcome: status(200, 'Z0FBQUFB%%%% not a fernet token %%%%') }),
  'garbage instead of HTTP': () => ({ outcome: failure('invalid-response', 'maybe-sent') }),
  'HTML 404': () => ({ outcome: status(404, '<html><title>404: Not Found</title></html>') }),
  'wrong key (the reply)': (side, run) => ({
    outcome: reply(actionFor(side === 'read' ? READ.type : WRITE.type, run.body), {
      key: OTHER_KEY,
    }),
  }),
  'wrong key (the request)': () => ({ outcome: status(401, 'Unauthorized') }),
  'wrong reqid': (side, run) => ({
    outcome: reply(actionFor(side === 'read' ? READ.type : WRITE.type, run.body), {
      reqid: 'another',
    }),
  }),
  'oversized body': () => ({ outcome: tooLarge(1024 * 1024, 200, {}) }),
  'HTTP 500': () => ({ outcome: status(500, 'Internal Server Error') }),
  'HTTP 502': () => ({ outcome: status(502, 'Bad Gateway') }),
  'HTTP 503': () => ({ outcome: status(503, 'Service Unavailable') }),
  "the server's database down": (side) => ({
    outcome: reply(databaseErrorReply(side === 'read' ? READ.type : WRITE.type)),
  }),
  'HTTP 429': () => ({ outcome: status(429, 'Too Many Requests', { 'retry-after': '180' }) }),
};

function scriptFor(row: FaultRow, side: Side, run: RunOptions): Scripted[] {
  const faulted = FAULTED[row.name];
  if (faulted === undefined) throw new Error(`no script for the fault table's row '${row.name}'`);
  const [, attempts] = row[side];
  // A refused connection stays refused; any other fault hits one attempt, and the server answers the next.
  return Array.from({ length: attempts }, (_, i) =>
    i === 0 || row.target === 'closed-port' ? faulted(side, run) : { outcome: success(run) },
  );
}

describe('the fault table, through the core', () => {
  it('has a script for every row', () => {
    expect(FAULT_TABLE.map((row) => row.name).filter((name) => !(name in FAULTED))).toEqual([]);
  });

  describe.each(FAULT_TABLE.map((row) => [row.name, row] as const))('%s', (_, row) => {
    it.each(['read', 'write'] as const)('%s', (side) => {
      const run: RunOptions = {
        type: side === 'read' ? READ : WRITE,
        config: { timeouts: { request: DEADLINE_MS, login: DEADLINE_MS } },
        options: { retry: { backoff: 20, maxBackoff: 40, ...row.retry } },
      };
      const { result, sends, elapsed } = runScript(scriptFor(row, side, run), run);
      const [kind, attempts] = row[side];
      expect([result.success ? 'success' : result.failure, result.attempts]).toEqual([
        kind,
        attempts,
      ]);
      expect(sends).toHaveLength(attempts);
      expect(elapsed).toBeLessThanOrEqual(DEADLINE_MS);
      // Each attempt is sent with what is left of the one deadline.
      for (const send of sends) expect(send.remaining).toBeLessThanOrEqual(DEADLINE_MS);
    });
  });
});
