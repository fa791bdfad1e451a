/**
 * What a transport is built from: the client's settings (`TransportSettings`, with the TLS files) and the plan of
 * the transport they chose (`TransportPlan`): data only, so that the sync API's worker thread can build its own
 * copy of the client's transport. `create.ts` builds a transport from a plan.
 */
import type { UndiciTransportOptions } from './undici.js';

/** The TLS material of a client certificate and a CA, as read from the PEM files. */
export interface TlsFiles {
  readonly cert?: { readonly path: string; readonly data: Uint8Array } | undefined;
  readonly key?: { readonly path: string; readonly data: Uint8Array } | undefined;
  readonly ca?: { readonly path: string; readonly data: Uint8Array } | undefined;
}

/** What the client's options say about its transport, after defaults. */
export interface TransportSettings {
  readonly connectTimeout: number;
  readonly keepAliveTimeout: number;
  readonly connections: number;
  /** The TLS files; only given when the platform can use them and has checked them. */
  readonly tls: TlsFiles | undefined;
}

/** A transport described by data, so that a worker thread can build its own. */
export type TransportPlan =
  | { readonly kind: 'undici'; readonly options: UndiciTransportOptions }
  | { readonly kind: 'fetch' }
  /** A custom transport or `fetch`: functions cannot cross to another thread. */
  | { readonly kind: 'custom'; readonly name: string };

/** The transports that can be built from data alone. */
export type BuildablePlan = Exclude<TransportPlan, { kind: 'custom' }>;
