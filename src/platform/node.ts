/**
 * The Node.js platform (the `node` condition of `#platform`): Fernet on node:crypto (synchronous, the fastest),
 * undici as the default transport, TLS client certificates and CAs read with node:fs and checked with node:tls
 * (for undici's connector), the sync API's worker thread, and tracing on `diagnostics_channel`.
 */
import { ConfigError } from '../core/errors.js';
import { SyncHost } from '../sync/host.js';
import { createTransport, undiciPlan } from '../transport/create.js';
import type { FetchLike } from '../transport/fetch.js';
import type { TransportSettings } from '../transport/plan.js';
import { UndiciDispatchTransport } from '../transport/undici.js';
import { nodeCommon } from './node-common.js';
import { nodeTls } from './node-tls.js';
import type { BuiltTransport, Platform } from './types.js';

/** The transports of Node: undici (with the TLS files), or ky over a `fetch` (without). */
function nodeTransport(
  kind: 'undici' | 'fetch' | undefined,
  settings: TransportSettings,
  fetch: FetchLike | undefined,
): BuiltTransport {
  if (kind !== 'fetch') {
    const plan = undiciPlan(settings);
    return { transport: createTransport(plan), plan };
  }
  if (settings.tls !== undefined) {
    throw new ConfigError(
      'TLS files need the undici transport on Node.js; with `fetch`, configure TLS in the fetch you pass',
      { option: settings.tls.cert === undefined ? 'tlsCaFile' : 'tlsCertFile' },
    );
  }
  return {
    transport: createTransport({ kind: 'fetch' }, fetch),
    plan: fetch === undefined ? { kind: 'fetch' } : { kind: 'custom', name: 'a custom fetch' },
  };
}

/** The platform of Node.js. */
export const platform: Platform = {
  runtime: 'node',
  label: 'Node.js',
  ...nodeCommon,
  env: () => process.env,
  transport: nodeTransport,
  undici: (options) => new UndiciDispatchTransport(options),
  tls: nodeTls,
  syncSender: (plan) => new SyncHost(plan),
};
