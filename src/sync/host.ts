import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  MessageChannel,
  Worker,
  receiveMessageOnPort,
  type MessagePort,
} from 'node:worker_threads';
import type { TransportSpec } from '../config.js';
import { ConfigError } from '../errors.js';
import { timedOutFailure, type SendRequest, type Sent } from '../send.js';
import type { ReplyMessage, SendMessage, WorkerData } from './protocol.js';

/** How long past a call's deadline the main thread waits for a worker that does not answer. */
const WORKER_GRACE_MS = 1000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` without spinning. */
export function sleepSync(ms: number): boolean {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
  return true;
}

/**
 * The URL to start a worker from. Built code starts its `.js` file. When this module runs from its TypeScript
 * source (this repository's tests and tools), the worker starts from a small module that registers tsx first:
 * on Node 20, `--import tsx` in a worker's `execArgv` does not apply to the worker's entry.
 */
export function workerUrl(entry: URL): URL {
  if (!entry.pathname.endsWith('.ts')) return entry;
  const tsx = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsx, 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** The worker's module: compiled `.js` next to this one, or the `.ts` source. */
function workerEntry(): URL {
  const self = import.meta.url;
  return workerUrl(new URL(self.endsWith('.ts') ? './worker.ts' : './worker.js', self));
}

/**
 * The sync API's link to its worker thread: `send` posts one send to the worker and blocks in `Atomics.wait`
 * until the reply arrives (no busy waiting, no child process), bounded by the call's deadline.
 */
export class SyncHost {
  readonly #spec: TransportSpec;
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  readonly #flag = new Int32Array(new SharedArrayBuffer(4));
  #next = 0;

  /** @throws {ConfigError} when the transport is a custom one, which cannot be moved to a worker. */
  constructor(spec: TransportSpec) {
    if (spec.kind === 'custom') {
      throw new ConfigError(
        `the sync API runs its transport in a worker thread, and cannot use ${spec.name}; use transport "undici" or "fetch" (Node's own)`,
        { option: 'transport' },
      );
    }
    this.#spec = spec;
  }

  #start(): MessagePort {
    if (this.#port !== undefined) return this.#port;
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = { port: port2, flag: this.#flag, transport: this.#spec };
    const worker = new Worker(workerEntry(), { workerData: data, transferList: [port2] });
    // An idle worker must not keep the process alive; close() ends it.
    worker.unref();
    worker.on('error', () => undefined);
    this.#worker = worker;
    this.#port = port1;
    return port1;
  }

  /** Sends through the worker and blocks until it answers or the deadline (plus a grace) passes. */
  send(request: SendRequest): Sent {
    const port = this.#start();
    const id = ++this.#next;
    const deadline = Date.now() + request.remaining;
    const message: SendMessage = {
      id,
      url: request.url.href,
      wire: request.wire,
      maxResponseBytes: request.maxResponseBytes,
      attemptTimeout: request.attemptTimeout,
      deadline,
      timeout: request.timeout,
    };
    port.postMessage(message);
    const giveUpAt = deadline + WORKER_GRACE_MS;
    for (;;) {
      const seen = Atomics.load(this.#flag, 0);
      const received = receiveMessageOnPort(port) as { message: ReplyMessage } | undefined;
      if (received !== undefined) {
        // A reply to an earlier call that was given up on is dropped.
        if (received.message.id === id) return received.message.sent;
        continue;
      }
      const left = giveUpAt - Date.now();
      if (left <= 0) {
        return {
          outcome: { ok: false, failure: timedOutFailure(request.timeout, false, false) },
          timedOut: 'deadline',
        };
      }
      Atomics.wait(this.#flag, 0, seen, left);
    }
  }

  /** Ends the worker and its connections. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#port?.close();
    this.#port = undefined;
    if (worker !== undefined) await worker.terminate();
  }
}
