import type { MessagePort } from 'node:worker_threads';
import type { TransportSpec } from '../config.js';
import type { Sent } from '../send.js';

/** What the main thread hands the sync worker when it starts it. */
export interface WorkerData {
  readonly port: MessagePort;
  /** Bumped and notified by the worker after every reply, so the main thread can `Atomics.wait` on it. */
  readonly flag: Int32Array;
  readonly transport: TransportSpec;
}

/** One send, asked of the worker. The deadline is absolute (epoch milliseconds), so time spent starting counts. */
export interface SendMessage {
  readonly id: number;
  readonly url: string;
  readonly wire: string;
  readonly maxResponseBytes: number;
  readonly attemptTimeout: number | undefined;
  readonly deadline: number;
  /** The call's whole deadline, for failure reasons. */
  readonly timeout: number;
}

export interface ReplyMessage {
  readonly id: number;
  readonly sent: Sent;
}
