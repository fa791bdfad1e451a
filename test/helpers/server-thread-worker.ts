import { workerData, type MessagePort } from 'node:worker_threads';
import { startProtocolServer, type Fault } from '../../src/testing/protocol-server.js';
import { catalogueHandler } from './catalogue-handler.js';

/** A protocol server in a thread of its own, so that a blocked main thread (the sync API) can still reach it. */
const { flag, port } = workerData as { flag: Int32Array; port: MessagePort };
const server = await startProtocolServer({ handler: catalogueHandler });

/** One command from the main thread; each is answered with `{ reply }` and a bump of `flag`. */
interface Command {
  readonly fault?: Fault;
  readonly times?: number;
  readonly count?: boolean;
  readonly pendingFaults?: boolean;
  readonly clearFaults?: boolean;
  readonly idle?: boolean;
  readonly close?: boolean;
}

port.on('message', (message: Command) => {
  void (async () => {
    let reply: unknown = null;
    if (message.fault !== undefined) server.fault(message.fault, message.times ?? 1);
    if (message.count === true) {
      reply = {
        hits: server.hits,
        received: server.received.map((r) => ({ type: r.type, reqid: r.reqid })),
      };
    }
    if (message.pendingFaults === true) reply = server.pendingFaults();
    if (message.clearFaults === true) server.clearFaults();
    if (message.idle === true) await server.idle();
    if (message.close === true) await server.close();
    port.postMessage({ reply });
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  })();
});
port.postMessage({ url: server.url, secret: server.secret });
