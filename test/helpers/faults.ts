import { Authnzerver, generateFernetKey, type FailureKind } from '../../src/index.js';
import {
  startProtocolServer,
  type Fault,
  type ProtocolServer,
} from '../../src/testing/protocol-server.js';
import { READ_BODY, WRITE_BODY, catalogueHandler } from './catalogue-handler.js';
import { closedPort } from './processes.js';

/**
 * The fault table of docs/failures.md, as data: each fault injected into one reply of the test server, what a read
 * type (`session-exists`) and a write type (`session-new`) give, and after how many attempts. The tests run it
 * in this process and in a child process that must exit by itself.
 */
export interface FaultRow {
  /** docs/failures.md's words for the fault. */
  readonly name: string;
  readonly faults?: readonly Fault[];
  /** Where the client points instead of the test server. */
  readonly target?: 'closed-port';
  /** The client's secret is not the server's. */
  readonly wrongSecret?: boolean;
  readonly retry?: { readonly attemptTimeout?: number };
  /** What a read gives, and in how many attempts. */
  readonly read: readonly [FailureKind | 'success', number];
  /** What a write gives, and in how many attempts. */
  readonly write: readonly [FailureKind | 'success', number];
}

/** The call's deadline in the table. */
export const DEADLINE_MS = 1000;

export const FAULT_TABLE: readonly FaultRow[] = [
  {
    name: 'connection refused',
    target: 'closed-port',
    read: ['network', 3],
    write: ['network', 3],
  },
  {
    name: 'reset before the request was written',
    faults: [{ kind: 'reset', when: 'on-connect' }],
    read: ['success', 2],
    write: ['network', 1],
  },
  {
    name: 'reset after the request line arrived',
    faults: [{ kind: 'reset', when: 'before-body' }],
    read: ['success', 2],
    write: ['network', 1],
  },
  {
    name: 'reset after the request was written',
    faults: [{ kind: 'reset', when: 'after-body' }],
    read: ['success', 2],
    write: ['network', 1],
  },
  {
    name: 'slow headers, past the deadline',
    faults: [{ kind: 'delay', ms: 3000 }],
    read: ['timeout', 1],
    write: ['timeout', 1],
  },
  {
    name: 'slow headers, with an attempt timeout',
    faults: [{ kind: 'delay', ms: 3000 }],
    retry: { attemptTimeout: 300 },
    read: ['success', 2],
    write: ['timeout', 1],
  },
  {
    name: 'slow body, past the deadline',
    faults: [{ kind: 'slow-body', ms: 400, pieces: 5 }],
    read: ['timeout', 1],
    write: ['timeout', 1],
  },
  {
    name: 'truncated body',
    faults: [{ kind: 'truncate' }],
    read: ['success', 2],
    write: ['network', 1],
  },
  {
    name: 'garbage body',
    faults: [{ kind: 'garbage', what: 'body' }],
    read: ['decrypt', 1],
    write: ['decrypt', 1],
  },
  {
    name: 'garbage instead of HTTP',
    faults: [{ kind: 'garbage', what: 'http' }],
    read: ['invalid-response', 1],
    write: ['invalid-response', 1],
  },
  {
    name: 'HTML 404',
    faults: [{ kind: 'html-404' }],
    read: ['not-found', 1],
    write: ['not-found', 1],
  },
  {
    name: 'wrong key (the reply)',
    faults: [{ kind: 'wrong-key' }],
    read: ['decrypt', 1],
    write: ['decrypt', 1],
  },
  {
    name: 'wrong key (the request)',
    wrongSecret: true,
    read: ['unauthorized', 1],
    write: ['unauthorized', 1],
  },
  {
    name: 'wrong reqid',
    faults: [{ kind: 'wrong-reqid' }],
    read: ['reqid-mismatch', 1],
    write: ['reqid-mismatch', 1],
  },
  {
    name: 'oversized body',
    faults: [{ kind: 'oversize', bytes: 2 * 1024 * 1024 }],
    read: ['too-large', 1],
    write: ['too-large', 1],
  },
  {
    name: 'HTTP 500',
    faults: [{ kind: 'status', status: 500 }],
    read: ['server-error', 1],
    write: ['server-error', 1],
  },
  {
    name: 'HTTP 502',
    faults: [{ kind: 'status', status: 502 }],
    read: ['success', 2],
    write: ['server-error', 1],
  },
  {
    name: 'HTTP 503',
    faults: [{ kind: 'status', status: 503 }],
    read: ['success', 2],
    write: ['server-error', 1],
  },
  {
    name: "the server's database down",
    faults: [{ kind: 'database-error' }],
    read: ['success', 2],
    write: ['database-error', 1],
  },
  {
    name: 'HTTP 429',
    faults: [{ kind: 'status', status: 429 }],
    read: ['rate-limited', 1],
    write: ['rate-limited', 1],
  },
];

export interface FaultOutcome {
  readonly name: string;
  readonly side: 'read' | 'write';
  readonly kind: FailureKind | 'success';
  readonly attempts: number;
  readonly elapsedMs: number;
  /** How many times the server decrypted a write of this row (never more than once). */
  readonly writesReceived: number;
  /** HTTP requests that reached the server for this call. */
  readonly hits: number;
  /** Faults queued for this call that it did not meet (dropped before the next call): 0 when the row is sound. */
  readonly faultsLeft: number;
}

/** Runs every row for a read and for a write, each on a fresh client (so that no pooled connection hides a fault). */
export async function runFaultTable(
  table: readonly FaultRow[] = FAULT_TABLE,
): Promise<FaultOutcome[]> {
  const server: ProtocolServer = await startProtocolServer({ handler: catalogueHandler });
  const refused = `http://127.0.0.1:${await closedPort()}/`;
  const outcomes: (Omit<FaultOutcome, 'writesReceived'> & { reqid: string | number })[] = [];
  try {
    for (const row of table) {
      for (const side of ['read', 'write'] as const) {
        const client = new Authnzerver({
          url: row.target === 'closed-port' ? refused : server.url,
          secret: row.wrongSecret === true ? generateFernetKey() : server.secret,
          timeouts: { request: DEADLINE_MS },
          retry: { backoff: 20, maxBackoff: 40, ...row.retry },
        });
        for (const fault of row.faults ?? []) server.fault(fault);
        const hitsBefore = server.hits;
        const started = performance.now();
        const result =
          side === 'read'
            ? await client.sessionExists(READ_BODY)
            : await client.sessionNew(WRITE_BODY);
        const elapsedMs = performance.now() - started;
        await client.close();
        const faultsLeft = server.pendingFaults();
        server.clearFaults();
        outcomes.push({
          reqid: result.reqid,
          name: row.name,
          side,
          kind: result.success ? 'success' : result.failure,
          attempts: result.attempts,
          elapsedMs,
          hits: server.hits - hitsBefore,
          faultsLeft,
        });
      }
    }
    // Let the replies the client gave up on (slow headers, slow bodies) finish on the server, so that a write the
    // server ran late is counted too.
    await server.idle();
    return outcomes.map(({ reqid, ...outcome }) => ({
      ...outcome,
      writesReceived: server.received.filter((r) => r.type === 'session-new' && r.reqid === reqid)
        .length,
    }));
  } finally {
    await server.close();
  }
}
