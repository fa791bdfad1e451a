import { afterEach, expect } from 'vitest';
import type { Authnzerver } from '../../src/index.js';
import type { ProtocolServer } from '../../src/testing/protocol-server.js';
import { READ_BODY } from './catalogue-handler.js';

/** The fault accounting of a test server (`startProtocolServer`, `createTestServer`) or a server thread. */
export interface FaultQueue {
  pendingFaults(): number;
  clearFaults(): void;
}

/**
 * Registers an `afterEach` (in the enclosing `describe`, or the file) that fails a test which queued faults that no
 * request met, and empties the queue either way: no test meets a fault that another one left behind.
 * `server` is read after each test; undefined (a server not started yet) is skipped.
 */
export function expectFaultsConsumed(server: () => FaultQueue | undefined): void {
  afterEach(() => {
    const queue = server();
    if (queue === undefined) return;
    const left = queue.pendingFaults();
    queue.clearFaults();
    expect(left, 'faults this test queued that no request met').toBe(0);
  });
}

/**
 * The generous budget of a warm-up call: it covers the start of the sync API's worker thread (about half a second
 * under tsx on a quiet machine, several on a busy one).
 */
export const COLD_START_MS = 30_000;

/**
 * Starts `client`'s sync worker thread with one call under a generous deadline, so that a short deadline tested
 * next times the call, not the thread's cold start. Call it before queuing the test's own faults.
 *
 * With `server` (the one `client` points at), the warm-up leaves no pooled connection behind: the server resets
 * it after reading the request, and the call has no retry, so the next call opens a new connection as a fresh
 * client's would (a `reset` `on-connect` fault needs one). Without it (a client pointed at a closed port, say), the
 * call goes where the client points. Throws if even the warm-up timed out.
 */
export function warmUpSync(client: Authnzerver, server?: Pick<ProtocolServer, 'fault'>): void {
  server?.fault({ kind: 'reset', when: 'after-body' });
  const result = client.sync.sessionExists(READ_BODY, { timeout: COLD_START_MS, retry: false });
  if (!result.success && result.failure === 'timeout')
    throw new Error(
      `the sync worker did not start within ${COLD_START_MS} ms: ${result.failureReason}`,
    );
  if (server !== undefined && result.failure !== 'network')
    throw new Error(
      `the warm-up call should have met its reset, not ${result.failure ?? 'success'}`,
    );
}
