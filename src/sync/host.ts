import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  MessageChannel,
  Worker,
  receiveMessageOnPort,
  type MessagePort,
} from 'node:worker_threads';
import { ConfigError } from '../core/errors.js';
import type { SyncSender } from '../platform/types.js';
import type { SendRequest, Sent } from '../core/steps.js';
import type { TransportPlan } from '../transport/plan.js';
import { deadlinePassedBeforeSending, timeoutFailure } from '../transport/failures.js';
import {
  FLAG_REPLIES,
  FLAG_TAKEN,
  type ReplyMessage,
  type SendMessage,
  type WorkerData,
} from './protocol.js';

/**
 * How long past a call's deadline the main thread waits for the worker's own account of it (which says whether
 * headers had arrived), before it reports the timeout itself.
 */
const WORKER_GRACE_MS = 100;

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

/** Options that only make sense for the main script, which a worker refuses to start with. */
const MAIN_ONLY = new Set(['-e', '--eval', '-p', '--print', '--input-type']);

/**
 * The process's Node options, for the worker (which inherits them by default), without the ones that only apply
 * to the main script: a script run with `node --input-type=module -e ...` would otherwise start a worker that
 * fails at once.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const name = arg.split('=', 1)[0] as string;
    if (MAIN_ONLY.has(name)) {
      if (!arg.includes('=')) i++; // its value is the next argument
      continue;
    }
    kept.push(arg);
  }
  return kept;
}

/**
 * Starts a worker (the sync API's, or the test kit's server thread) with `data` and a port moved to it. It
 * inherits the process's Node options, unless some apply only to the main script; then it gets the others,
 * without those a worker refuses (V8 and process-wide options, which it ignores when it inherits them, but
 * refuses when they are listed).
 */
export function startWorker(entry: URL, data: object, port: MessagePort): Worker {
  const options = { workerData: data, transferList: [port] };
  const execArgv = workerExecArgv(process.execArgv);
  if (execArgv.length === process.execArgv.length) return new Worker(entry, options);
  try {
    return new Worker(entry, { ...options, execArgv });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const refused = new Set(/flags: (.*)$/.exec((error as Error).message)?.[1]?.split(', ') ?? []);
    return new Worker(entry, { ...options, execArgv: execArgv.filter((arg) => !refused.has(arg)) });
  }
}

/**
 * The worker's module, next to this one and of the same kind: the `.ts` source, the ES module build's `.js` or
 * the CommonJS build's `.cjs` (dist/cjs, where `import.meta.url` is this file's URL too).
 */
function workerEntry(): URL {
  const self = import.meta.url;
  return workerUrl(new URL(`./worker${self.slice(self.lastIndexOf('.'))}`, self));
}

/**
 * The sync API's link to its worker thread: `send` posts one send to the worker and blocks in `Atomics.wait`
 * until the reply arrives (no busy waiting, no child process), bounded by the call's deadline.
 */
export class SyncHost implements SyncSender {
  readonly #plan: TransportPlan;
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  /** [FLAG_REPLIES]: bumped by the worker after each reply; [FLAG_TAKEN]: the id of the last send it took. */
  readonly #flag = new Int32Array(new SharedArrayBuffer(8));
  #next = 0;
  /** Why the worker died, once its `error` event has run (between two sync calls). */
  #failed: Error | undefined;

  /** @throws {ConfigError} when the transport is a custom one, which cannot be moved to a worker. */
  constructor(plan: TransportPlan) {
    if (plan.kind === 'custom') {
      throw new ConfigError(
        `the sync API runs its transport in a worker thread, and cannot use ${plan.name}; use transport "undici" or "fetch" (Node's own)`,
        { option: 'transport' },
      );
    }
    this.#plan = plan;
  }

  #start(): MessagePort {
    if (this.#port !== undefined) return this.#port;
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = { port: port2, flag: this.#flag, transport: this.#plan };
    const worker = startWorker(workerEntry(), data, port2);
    // An idle worker must not keep the process alive; close() ends it.
    worker.unref();
    worker.on('error', (error) => {
      this.#failed = error;
    });
    this.#worker = worker;
    this.#port = port1;
    return port1;
  }

  /**
   * Sends through the worker and blocks until it answers or the call's deadline (plus a short grace) passes. The
   * deadline covers the worker's start: a send the worker had not taken by then is reported as not sent, and
   * the worker, finding its deadline passed, never sends it.
   */
  send(request: SendRequest): Sent {
    if (this.#failed !== undefined) {
      return {
        outcome: {
          ok: false,
          failure: {
            kind: 'network',
            delivery: 'not-sent',
            gotHeaders: false,
            message: `the sync API's worker thread failed: ${this.#failed.message}`,
            code: (this.#failed as { code?: string }).code,
            cause: this.#failed,
          },
        },
        expired: null,
      };
    }
    const port = this.#start();
    const id = ++this.#next;
    const deadlineAt = Date.now() + request.remaining;
    const message: SendMessage = {
      id,
      url: request.url.href,
      wire: request.wire,
      maxResponseBytes: request.maxResponseBytes,
      attemptTimeout: request.attemptTimeout,
      deadlineAt,
      deadlineMs: request.deadlineMs,
    };
    port.postMessage(message);
    const giveUpAt = deadlineAt + WORKER_GRACE_MS;
    for (;;) {
      const seen = Atomics.load(this.#flag, FLAG_REPLIES);
      const received = receiveMessageOnPort(port) as { message: ReplyMessage } | undefined;
      if (received !== undefined) {
        // A reply to an earlier call that was given up on is dropped.
        if (received.message.id === id) return received.message.sent;
        continue;
      }
      const left = giveUpAt - Date.now();
      if (left <= 0) {
        const taken = Atomics.load(this.#flag, FLAG_TAKEN) >= id;
        return {
          outcome: {
            ok: false,
            failure: taken
              ? timeoutFailure(request.deadlineMs, 'deadline', false)
              : deadlinePassedBeforeSending(request.deadlineMs, 'the sync worker took it'),
          },
          expired: 'deadline',
        };
      }
      Atomics.wait(this.#flag, FLAG_REPLIES, seen, left);
    }
  }

  /** Blocks the calling thread for `ms` (a pause between attempts of a sync call). */
  sleep(ms: number): boolean {
    return sleepSync(ms);
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
