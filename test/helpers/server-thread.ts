import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { workerUrl } from '../../src/sync/host.js';
import type { Fault } from '../../src/testing/server.js';

export interface ServerThread {
  readonly url: string;
  readonly secret: string;
  /** Queues a fault, and returns once the server has it (it may be called while the main thread blocks next). */
  fault(fault: Fault, times?: number): void;
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
  /** Sends a command and blocks until the server thread acknowledges it. */
  const command = (message: object): unknown => {
    port1.postMessage(message);
    for (;;) {
      const seen = Atomics.load(flag, 0);
      const received = receiveMessageOnPort(port1) as { message: { reply: unknown } } | undefined;
      if (received !== undefined) return received.message.reply;
      if (Atomics.wait(flag, 0, seen, 10_000) === 'timed-out')
        throw new Error('the server thread does not answer');
    }
  };
  return {
    url,
    secret,
    fault: (fault, times) => void command({ fault, times }),
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
