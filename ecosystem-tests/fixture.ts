/**
 * The Node test server an app calls, from the installed package, and the control server through which the app
 * asks for a fault.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuthnzerverTestServer, CreateTestServerOptions } from 'authnzerver/testing';
import type { InstalledApp } from './install.js';

/** A test server for one run, and the control server through which the app asks for a fault. */
export interface Fixture {
  readonly server: AuthnzerverTestServer;
  /** The control server's URL: `POST <control>fault` queues one HTTP 500. */
  readonly control: string;
  /** How many faults the app asked for. */
  readonly faultsAsked: () => number;
  close(): Promise<void>;
}

/**
 * Starts `createTestServer`, from the installed package's `authnzerver/testing`, in this process, with the
 * given options (none for the apps: the defaults), and the control server beside it.
 */
export async function startFixture(
  app: InstalledApp,
  options?: CreateTestServerOptions,
): Promise<Fixture> {
  const kit = (await import(pathToFileURL(join(app.dir, 'kit.js')).href)) as {
    createTestServer: (options?: CreateTestServerOptions) => Promise<AuthnzerverTestServer>;
  };
  const server = await kit.createTestServer(options);
  let asked = 0;
  const control: Server = createServer((request, response) => {
    request.resume();
    if (request.method === 'POST' && request.url === '/fault') {
      asked++;
      server.fault({ kind: 'status', status: 500 });
      response.writeHead(204).end();
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  return {
    server,
    control: `http://127.0.0.1:${(control.address() as AddressInfo).port}/`,
    faultsAsked: () => asked,
    async close() {
      control.closeAllConnections();
      await new Promise<void>((resolve) => {
        control.close(() => {
          resolve();
        });
      });
      await server.close();
    },
  };
}

/** The request types the test server must have received, in order (the faulted one is not decrypted). */
export const EXPECTED_TYPES: readonly string[] = [
  'session-new',
  'session-exists',
  'user-new',
  'user-set-emailverified',
  'user-login',
  'session-new',
  'apikey-new',
  'apikey-verify',
];
