/**
 * The thread of `startTestServerThread`: it runs `createTestServer` with the options it was given, tells the
 * starting thread the server's address, then runs each command that arrives by message and answers it. No
 * top-level await: the CommonJS build runs this file too.
 */
import { workerData } from 'node:worker_threads';
import type { NodeBuffer } from '../platform/node-types.js';
import type { InMemoryAuthnzerver, NewUser } from './authnzerver.js';
import type { Fault } from './protocol-server.js';
import { createTestServer, type AuthnzerverTestServer } from './test-server.js';
import type { PortableError, ThreadCommand, ThreadData, ThreadMessage } from './thread-protocol.js';
import type { TestServerThreadOptions } from './thread-options.js';

const { port, options } = workerData as ThreadData;

function portable(error: unknown): PortableError {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

/** Certificates arrive as plain `Uint8Array`s (a message does not keep `Buffer`): Node's TLS wants strings or Buffers. */
function withBuffers(given: TestServerThreadOptions): TestServerThreadOptions {
  const tls = given.tls;
  if (tls === undefined) return given;
  const buffer = <T>(value: T): T | NodeBuffer =>
    value instanceof Uint8Array
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      : value;
  return {
    ...given,
    tls: {
      ...tls,
      cert: buffer(tls.cert),
      key: buffer(tls.key),
      ...(tls.ca === undefined ? {} : { ca: buffer(tls.ca) }),
    },
  };
}

/** The server, with or without its in-memory authnzerver (`authnzerver: false`). */
type Server = AuthnzerverTestServer<InMemoryAuthnzerver | undefined>;

/** Runs one command on the server; what it returns is the reply's value. */
async function run(server: Server, command: ThreadCommand): Promise<unknown> {
  const args = command.args;
  // The starting thread offers these only when the server has an in-memory authnzerver.
  const memory = server.authnzerver as InMemoryAuthnzerver;
  switch (command.op) {
    case 'addUser':
      return memory.addUser(args[0] as NewUser);
    case 'listUsers':
      return memory.listUsers();
    case 'findUser':
      return memory.findUser(args[0] as number | string);
    case 'listSessions':
      return memory.listSessions();
    case 'listApiKeys':
      return memory.listApiKeys();
    case 'lockOut':
      return memory.lockOut(args[0], args[1] as number);
    case 'received':
      return server.received;
    case 'stats':
      return { hits: server.hits, refused: server.refused, connections: server.connections };
    case 'setSecret':
      server.setSecret(args[0] as string | readonly string[]);
      return server.secrets;
    case 'fault':
      server.fault(args[0] as Fault, args[1] as number);
      return undefined;
    case 'pendingFaults':
      return server.pendingFaults();
    case 'clearFaults':
      server.clearFaults();
      return undefined;
    case 'idle':
      return server.idle();
    case 'resetLimits':
      server.resetLimits();
      return undefined;
    case 'close':
      return server.close();
  }
}

function answer(message: ThreadMessage): void {
  port.postMessage(message);
}

(
  createTestServer(
    withBuffers(options) as Parameters<typeof createTestServer>[0],
  ) as Promise<Server>
).then(
  (server) => {
    port.on('message', (command: ThreadCommand) => {
      run(server, command).then(
        (value) => {
          answer({ id: command.id, ok: true, value });
          if (command.op === 'close') port.close();
        },
        (error: unknown) => {
          answer({ id: command.id, ok: false, error: portable(error) });
        },
      );
    });
    answer({
      ready: {
        url: server.url,
        port: server.port,
        secrets: server.secrets,
        admin: server.authnzerver?.admin,
      },
    });
  },
  (error: unknown) => {
    answer({ failed: portable(error) });
    port.close();
  },
);
