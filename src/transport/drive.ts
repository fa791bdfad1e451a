/**
 * The drivers of the call core: thin loops that do what each step asks and resume the core with the result.
 * The async driver awaits the cipher, a send through the transport and a timer; the sync driver seals and opens
 * with a synchronous cipher, blocks on a send through the worker thread and on `Atomics.wait`. Neither decides
 * anything: both give the same tuples.
 */
import type { CallSteps } from '../core/call.js';
import type { ResponseTuple } from '../core/result.js';
import { sendOnce } from './send.js';
import type { Opened, Sent, Step, StepResult } from '../core/steps.js';
import type { Codec } from '../crypto/wire.js';
import type { SyncSender } from '../platform/types.js';
import { ABORTED_BEFORE_SENDING } from './failures.js';
import type { Transport } from './types.js';

/** Resolves after `ms` (true), or early (false) when the signal fires. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Decrypts a reply body with key `key`; what the cipher throws is a value for the core. */
function open(codec: Codec, body: string, key: number): Opened | Promise<Opened> {
  try {
    const value = codec.open(body, key);
    return value instanceof Promise
      ? value.then(
          (v: unknown): Opened => ({ ok: true, value: v }),
          (error: unknown): Opened => ({ ok: false, error }),
        )
      : { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The I/O of one call: where it sends, how it encrypts, and the caller's signal. */
export interface CallIO {
  readonly transport: Transport;
  readonly codec: Codec;
  readonly signal: AbortSignal | undefined;
}

function doAsync(step: Step, io: CallIO): StepResult | Promise<StepResult> {
  switch (step.kind) {
    case 'seal':
      return io.codec.seal(step.plaintext, step.key);
    case 'send':
      return sendOnce(io.transport, step.request, io.signal);
    case 'open':
      return open(io.codec, step.body, step.key);
    case 'sleep':
      return sleep(step.ms, io.signal);
  }
}

/** Runs a call's steps asynchronously. */
export async function driveAsync(
  steps: CallSteps,
  io: CallIO,
): Promise<ResponseTuple<unknown, unknown>> {
  let step = steps.next();
  while (step.done !== true) {
    const done = doAsync(step.value, io);
    // A synchronous cipher's result goes straight back, without a turn of the event loop.
    step = steps.next(done instanceof Promise ? await done : done);
  }
  return step.value;
}

/** What the sync driver gives for a send the caller's signal stopped before it started. */
const ABORTED: Sent = { outcome: { ok: false, failure: ABORTED_BEFORE_SENDING }, expired: null };

function synchronous<T>(value: T | Promise<T>): T {
  // Only Node's platform has a sync API, and its cipher (node:crypto) is synchronous.
  if (value instanceof Promise)
    throw new TypeError('the sync API needs a synchronous cipher (node:crypto)');
  return value;
}

/** Runs a call's steps on the calling thread, blocking; the caller's signal is checked before each send. */
export function driveSync(
  steps: CallSteps,
  host: SyncSender,
  codec: Codec,
  signal: AbortSignal | undefined,
): ResponseTuple<unknown, unknown> {
  let step = steps.next();
  while (step.done !== true) {
    const next = step.value;
    let result: StepResult;
    switch (next.kind) {
      case 'seal':
        result = synchronous(codec.seal(next.plaintext, next.key));
        break;
      case 'send':
        result = signal?.aborted === true ? ABORTED : host.send(next.request);
        break;
      case 'open':
        result = synchronous(open(codec, next.body, next.key));
        break;
      case 'sleep':
        result = host.sleep(next.ms);
        break;
    }
    step = steps.next(result);
  }
  return step.value;
}
