/**
 * Making a transport from its plan (`TransportPlan`: data only), in one place for the client's configuration and
 * for the sync API's worker thread, which builds its own copy of the client's transport. It loads undici: only
 * the platforms that have it (`platform/node.ts`, `platform/deno.ts`) import this module.
 */
import { FetchTransport, type FetchLike } from './fetch.js';
import type { BuildablePlan, TlsFiles, TransportSettings } from './plan.js';
import type { Transport } from './types.js';
import { UndiciDispatchTransport, type UndiciTransportOptions } from './undici.js';

/** Builds the transport a plan describes; `fetch` is a custom `fetch` for the fetch transport. */
export function createTransport(plan: BuildablePlan, fetch?: FetchLike): Transport {
  return plan.kind === 'undici'
    ? new UndiciDispatchTransport(plan.options)
    : new FetchTransport(fetch);
}

/** The TLS material of the files, as undici's connector takes it. */
function tlsMaterial(files: TlsFiles | undefined): UndiciTransportOptions['tls'] {
  if (files === undefined) return undefined;
  const buffer = (data: Uint8Array): Buffer =>
    Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return {
    ...(files.cert === undefined ? {} : { cert: buffer(files.cert.data) }),
    ...(files.key === undefined ? {} : { key: buffer(files.key.data) }),
    ...(files.ca === undefined ? {} : { ca: buffer(files.ca.data) }),
  };
}

/** The plan of the undici transport the client's settings ask for. */
export function undiciPlan(settings: TransportSettings): BuildablePlan {
  return {
    kind: 'undici',
    options: {
      connectTimeout: settings.connectTimeout,
      keepAliveTimeout: settings.keepAliveTimeout,
      connections: settings.connections,
      tls: tlsMaterial(settings.tls),
    },
  };
}
