/**
 * The options of `startTestServerThread` (thread.ts), apart so that the messages to its thread
 * (thread-protocol.ts) can name them without importing thread.ts.
 */
import type { InMemoryAuthnzerverOptions } from './authnzerver.js';
import type { CreateTestServerOptions } from './test-server.js';

/**
 * Options of {@link startTestServerThread}: those of `createTestServer` that are data, since only data can go to
 * another thread. `handlers`, `now` (and `authnzerver.now`) and `specs` hold functions, and are refused.
 */
export interface TestServerThreadOptions extends Pick<
  CreateTestServerOptions,
  'secret' | 'port' | 'rateLimits' | 'loginBackoff' | 'allowedHosts' | 'tls'
> {
  /**
   * The in-memory authnzerver's options (without `now`: the thread runs on the system clock), or `false` to turn
   * it off (then every request type gets HTTP 400). @default an in-memory authnzerver with the default users
   */
  readonly authnzerver?: Omit<InMemoryAuthnzerverOptions, 'now'> | false;
}
