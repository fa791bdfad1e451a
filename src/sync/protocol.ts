import type { MessagePort } from 'node:worker_threads';
import type { Sent } from '../core/steps.js';
import type { TransportPlan } from '../transport/plan.js';

/** The slot of the shared flag that the worker bumps and notifies after every reply. */
export const FLAG_REPLIES = 0;
/** The slot where the worker stores the id of each send as it takes it, before it sends. */
export const FLAG_TAKEN = 1;

/** What the main thread hands the sync worker when it starts it. */
export interface WorkerData {
  readonly port: MessagePort;
  /** Shared with the main thread: see {@link FLAG_REPLIES} and {@link FLAG_TAKEN}. */
  readonly flag: Int32Array;
  readonly transport: TransportPlan;
}

/** One send, asked of the worker. The deadline is absolute (epoch milliseconds), so time spent starting counts. */
export interface SendMessage {
  readonly id: number;
  readonly url: string;
  readonly wire: string;
  readonly maxResponseBytes: number;
  readonly attemptTimeout: number | undefined;
  /** When the send's deadline passes, in epoch milliseconds. */
  readonly deadlineAt: number;
  /** The call's whole deadline, in milliseconds, for failure reasons. */
  readonly deadlineMs: number;
}

export interface ReplyMessage {
  readonly id: number;
  readonly sent: Sent;
}
