import { workerData as data } from 'node:worker_threads';
import { sendOnce, type Sent } from '../send.js';
import { FetchTransport } from '../transport/fetch.js';
import type { Transport } from '../transport/types.js';
import { UndiciTransport } from '../transport/undici.js';
import type { ReplyMessage, SendMessage, WorkerData } from './protocol.js';

/**
 * The sync API's worker thread: it owns a transport (its own keep-alive pool) and performs the sends the main
 * thread asks for while the main thread blocks in `Atomics.wait`. Everything else of a call (validation,
 * encryption, retries, hooks, logs, the tuple) runs on the main thread, in the same code as the async API.
 */

const { port, flag, transport: spec } = data as WorkerData;

function makeTransport(): Transport {
  if (spec.kind === 'undici') return new UndiciTransport(spec.options);
  if (spec.kind === 'fetch') return new FetchTransport();
  throw new Error(`the sync API cannot use ${spec.name}`);
}

const transport = makeTransport();

/** Errors do not cross threads whole (their code is lost): keep what a failure reason needs. */
function portable(sent: Sent): Sent {
  if (sent.outcome.ok || sent.outcome.failure.cause === undefined) return sent;
  const cause = sent.outcome.failure.cause;
  const plain =
    cause instanceof Error
      ? { name: cause.name, message: cause.message, code: (cause as { code?: unknown }).code }
      : typeof cause === 'string'
        ? cause
        : 'unknown';
  return { ...sent, outcome: { ok: false, failure: { ...sent.outcome.failure, cause: plain } } };
}

port.on('message', (message: SendMessage) => {
  void sendOnce(transport, {
    url: new URL(message.url),
    wire: message.wire,
    maxResponseBytes: message.maxResponseBytes,
    attemptTimeout: message.attemptTimeout,
    remaining: message.deadline - Date.now(),
    timeout: message.timeout,
  }).then((sent) => {
    port.postMessage({ id: message.id, sent: portable(sent) } satisfies ReplyMessage);
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
