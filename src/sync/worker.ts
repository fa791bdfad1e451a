/**
 * The sync API's worker thread: it owns a transport (its own keep-alive pool) and performs the sends the main
 * thread asks for while the main thread blocks in `Atomics.wait`. Everything else of a call (validation,
 * encryption, retries, hooks, logs, the tuple) runs on the main thread, in the same core as the async API. It
 * loads only what a send needs (the transport and the deadline), so that the first sync call starts fast.
 */
import { workerData } from 'node:worker_threads';
import { sendOnce } from '../transport/send.js';
import type { Sent } from '../core/steps.js';
import { createTransport } from '../transport/create.js';
import {
  FLAG_REPLIES,
  FLAG_TAKEN,
  type ReplyMessage,
  type SendMessage,
  type WorkerData,
} from './protocol.js';

const { port, flag, transport: plan } = workerData as WorkerData;

if (plan.kind === 'custom') throw new Error(`the sync API cannot use ${plan.name}`);
const transport = createTransport(plan);

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
  // Taken before the deadline is read: a send the main thread gave up on as not taken is never sent.
  Atomics.store(flag, FLAG_TAKEN, message.id);
  void sendOnce(transport, {
    url: new URL(message.url),
    wire: message.wire,
    maxResponseBytes: message.maxResponseBytes,
    attemptTimeout: message.attemptTimeout,
    remaining: message.deadlineAt - Date.now(),
    deadlineMs: message.deadlineMs,
  }).then((sent) => {
    port.postMessage({ id: message.id, sent: portable(sent) } satisfies ReplyMessage);
    Atomics.add(flag, FLAG_REPLIES, 1);
    Atomics.notify(flag, FLAG_REPLIES);
  });
});
