/**
 * A TCP relay on a fixed loopback port in front of the auth server, which a test can stop and start again, so
 * that the app sees the auth server go away and come back at the same address with the same state.
 *
 * `createTestServer` has no way to stop and restart on the same port keeping its in-memory store, and the
 * in-memory store is what the app's sessions live in. Stopping the relay does what stopping the real server does to
 * its clients (PROTOCOL.md §6, "SIGTERM"): new connections are refused, and open keep-alive connections are cut.
 * Starting it again listens on the same port, in front of the same, still running, test server.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running relay. */
export interface Relay {
  /** `http://127.0.0.1:<port>/`: give this to the app as the auth server's URL. */
  readonly url: string;
  readonly port: number;
  /** Whether it is listening. */
  readonly running: boolean;
  /** Stops listening and cuts every open connection: the auth server is unreachable. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string')
        reject(new Error('relay: no TCP address'));
      else resolve(address.port);
    });
  });
}

/** Starts a relay from a free loopback port to `127.0.0.1:<targetPort>`. */
export async function startRelay(targetPort: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const makeServer = (): Server =>
    createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      sockets.add(client);
      sockets.add(upstream);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream);
      upstream.pipe(client);
    });

  let server: Server | undefined = makeServer();
  const port = await listen(server, 0);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    get running() {
      return server !== undefined;
    },
    async stop() {
      const closing = server;
      if (closing === undefined) return;
      server = undefined;
      const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
    async start() {
      if (server !== undefined) return;
      const next = makeServer();
      await listen(next, port);
      server = next;
    },
  };
}
