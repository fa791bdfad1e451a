/**
 * Making a transport from its description (`TransportSpec`: data only), in one place for the client's
 * configuration and for the sync API's worker thread, which builds its own copy of the client's transport. It
 * loads undici: only the platforms that have it (`platform/node.ts`, `platform/deno.ts`) import this module.
 */
import { FetchTransport, type FetchLike } from './fetch.js';
import type { Transport } from './types.js';
import { UndiciTransport, type UndiciTransportOptions } from './undici.js';
import type { TlsFiles, TransportSettings } from '../platform/types.js';

/** A transport described by data, so that a worker thread can build its own. */
export type TransportSpec =
  | { readonly kind: 'undici'; readonly options: UndiciTransportOptions }
  | { readonly kind: 'fetch' }
  /** A custom transport or `fetch`: functions cannot cross to another thread. */
  | { readonly kind: 'custom'; readonly name: string };

/** The transports that can be built from data alone. */
export type BuildableSpec = Exclude<TransportSpec, { kind: 'custom' }>;

/** Builds the transport a spec describes; `fetch` is a custom `fetch` for the fetch transport. */
export function createTransport(spec: BuildableSpec, fetch?: FetchLike): Transport {
  return spec.kind === 'undici' ? new UndiciTransport(spec.options) : new FetchTransport(fetch);
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

/** The description of the undici transport the client's settings ask for. */
export function undiciSpec(settings: TransportSettings): BuildableSpec {
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
