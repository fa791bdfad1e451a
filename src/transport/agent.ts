import { createRequire } from 'node:module';
import type { Agent as UndiciAgent } from 'undici';

/**
 * undici's `Agent` alone, without undici's index, loaded on first use. The index also loads fetch, WebSocket,
 * caches and mocks: about three times the load time of the Agent and its HTTP/1.1 client. And the Agent itself is
 * loaded only when the first transport sends, so that importing this package (and starting the sync API's
 * worker) costs nothing of undici, and a client that never calls, or calls over another transport, never loads
 * it. undici 6 and 7 keep the Agent at this path; a test checks that it is the index's own `Agent`. (A module of
 * its own, so that no published declaration names undici's types, which need @types/node.)
 */

let loaded: typeof UndiciAgent | undefined;

/** undici's `Agent` class, loaded (synchronously, through `require`) by the first call, and kept. */
export function undiciAgent(): typeof UndiciAgent {
  loaded ??= createRequire(import.meta.url)('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
  return loaded;
}
