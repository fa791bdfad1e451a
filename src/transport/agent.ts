import { createRequire } from 'node:module';
import type { Agent as UndiciAgent } from 'undici';

/**
 * undici's `Agent` alone, without undici's index. The index also loads fetch, WebSocket, caches and mocks: about
 * three times the load time of the Agent and its HTTP/1.1 client, which every process that imports this package
 * pays, and the sync API's worker pays again at its start. undici 6 and 7 keep the Agent at this path; a test
 * checks that it is the index's own `Agent`. (A module of its own, so that no published declaration names
 * undici's types, which need @types/node.)
 */
export const Agent = createRequire(import.meta.url)(
  'undici/lib/dispatcher/agent.js',
) as typeof UndiciAgent;
