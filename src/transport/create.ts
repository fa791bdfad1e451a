/**
 * Making a transport from its description (`TransportSpec`: data only), in one place for the client's
 * configuration and for the sync API's worker thread, which builds its own copy of the client's transport.
 */
import { FetchTransport, type FetchLike } from './fetch.js';
import type { Transport } from './types.js';
import { UndiciTransport, type UndiciTransportOptions } from './undici.js';

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
