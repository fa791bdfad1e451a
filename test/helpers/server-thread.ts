import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { workerUrl } from '../../src/sync/host.js';
import type { Fault } from '../../src/testing/protocol-server.js';

export interface ServerThread {
  readonly url: string;
  readonly secret: string;
  /** Queues a fault, and returns once the server has it (it may be called while the main thread blocks next). */
  fault(fault: Fault, times?: number): void;
  /** The server's `pendingFaults()`: queued faults no request or connection has taken yet. */
  pendingFaults(): number;
  /** The server's `clearFaults()`. */
  clearFaults(): void;
  /**
   * Returns once the server is answering no request: replies that were delayed or sent slowly have finished, even
   * those the client gave up on. Blocks the calling thread (the server runs in its own), at most `limitMs`.
   */
  idle(limitMs?: number): void;
  /** What reached the server so far. */
  counts(): { hits: number; received: { type: string; reqid: string | number }[] };
  close(): Promise<void>;
}

/** Starts the protocol server (with the catalogue test handler) in a worker thread. */
export async function startServerThread(): Promise<ServerThread> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerUrl(new URL('./server-thread-worker.ts', import.meta.url)), {
    workerData: { flag, port: port2 },
    transferList: [port2],
  });
  const { url, secret } = await new Promise<{ url: string; secret: string }>((resolve, reject) => {
    port1.once('message', resolve);
    worker.once('error', reject);
  });
  /**
   * Sends a command and blocks until the server thread acknowledges it. The limit is only there so that a dead
   * server thread fails the test instead of hanging it: a live one answers in milliseconds (or, for `idle`, once
   * its slow replies are done).
   */
  const command = (message: object, limitMs = 30_000): unknown => {
    port1.postMessage(message);
    const giveUpAt = Date.now() + limitMs;
    for (;;) {
      const seen = Atomics.load(flag, 0);
      const received = receiveMessageOnPort(port1) as { message: { reply: unknown } } | undefined;
      if (received !== undefined) return received.message.reply;
      const left = giveUpAt - Date.now();
      if (left <= 0) throw new Error(`the server thread did not answer ${JSON.stringify(message)}`);
      Atomics.wait(flag, 0, seen, left);
    }
  };
  return {
    url,
    secret,
    fault: (fault, times) => void command({ fault, times }),
    pendingFaults: () => command({ pendingFaults: true }) as number,
    clearFaults: () => void command({ clearFaults: true }),
    idle: (limitMs) => void command({ idle: true }, limitMs),
    counts: () =>
      command({ count: true }) as {
        hits: number;
        received: { type: string; reqid: string | number }[];
      },
    close: async () => {
      command({ close: true });
      port1.close();
      await worker.terminate();
    },
  };
}
