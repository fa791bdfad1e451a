/**
 * The transport contract of the client's tests (test/client/): every behaviour they check holds for both built-in
 * transports, each against its own protocol server on loopback with the test handler.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import type { AuthnzerverOptions, UntypedResponseTuple } from '../../src/runtime.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { expectFaultsConsumed } from './fault-accounting.js';
import { testHandler } from './handlers.js';

/** The end user's address the tests send. */
export const IP = '203.0.113.9';

/** The two built-in transports, as `describe.each` takes them. */
export const TRANSPORTS = [
  ['undici', {} satisfies Partial<AuthnzerverOptions>],
  ['fetch (ky over Node fetch)', { transport: 'fetch' } satisfies Partial<AuthnzerverOptions>],
] as const;

/** A failure tuple of `kind`, as an object and as a tuple. */
export function expectFailure(result: UntypedResponseTuple, kind: string): void {
  expect(result.success).toBe(false);
  expect(result.failure).toBe(kind);
  expect(result[0]).toBe(false);
  expect(typeof result.failureReason).toBe('string');
  expect(result[5]).toBe(result.failureReason);
}

/** What the tests of one transport run against. */
export interface OnServer {
  /** The protocol server of the enclosing `describe` (started before its tests). */
  readonly server: ProtocolServer;
  /** A client of that server over the transport, made once. */
  readonly client: Authnzerver;
  /** Another client of that server over the transport, with these options on top. */
  make(options?: Partial<AuthnzerverOptions>): Authnzerver;
}

/**
 * Starts a protocol server with the test handler and a client over the given transport for the enclosing
 * `describe`, closes both after it, and fails a test that leaves a queued fault unmet.
 */
export function onProtocolServer(transportOptions: Partial<AuthnzerverOptions>): OnServer {
  let server: ProtocolServer | undefined;
  let client: Authnzerver | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('used before beforeAll started the server');
    return value;
  };
  const make = (options: Partial<AuthnzerverOptions> = {}): Authnzerver => {
    const { url, secret } = started(server);
    return new Authnzerver({ url, secret, ...transportOptions, ...options });
  };
  beforeAll(async () => {
    server = await startProtocolServer({ handler: testHandler });
    client = make();
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  expectFaultsConsumed(() => server);
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
    make,
  };
}
