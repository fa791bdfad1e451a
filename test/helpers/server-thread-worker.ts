import { workerData, type MessagePort } from 'node:worker_threads';
import { startProtocolServer, type Fault } from '../../src/testing/server.js';
import { catalogueHandler } from './catalogue-handler.js';

/** A protocol server in a thread of its own, so that a blocked main thread (the sync API) can still reach it. */
const { flag, port } = workerData as { flag: Int32Array; port: MessagePort };
const server = await startProtocolServer({ handler: catalogueHandler });

port.on(
  'message',
  (message: { fault?: Fault; times?: number; count?: boolean; close?: boolean }) => {
    void (async () => {
      let reply: unknown = null;
      if (message.fault !== undefined) server.fault(message.fault, message.times ?? 1);
      if (message.count === true) {
        reply = {
          hits: server.hits,
          received: server.received.map((r) => ({ type: r.type, reqid: r.reqid })),
        };
      }
      if (message.close === true) await server.close();
      port.postMessage({ reply });
      Atomics.add(flag, 0, 1);
      Atomics.notify(flag, 0);
    })();
  },
);
port.postMessage({ url: server.url, secret: server.secret });
