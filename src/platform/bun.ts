/**
 * The Bun platform (the `bun` condition of `#platform`): the fetch transport by default, since Bun's built-in
 * undici is a shim without a dispatcher; TLS client certificates and CAs through Bun's `fetch` `tls` option
 * (read with node:fs and checked with node:tls, which Bun implements); Fernet on node:crypto (Bun's own,
 * synchronous). No sync API: it needs Node's worker threads.
 */
import type { FetchLike } from '../transport/fetch.js';
import type { TlsFiles } from '../transport/plan.js';
import { nodeCommon } from './node-common.js';
import { nodeTls } from './node-tls.js';
import { pemText, tlsWithCustomFetch } from './tls.js';
import type { Platform } from './types.js';
import { fetchTransport, noUndici, processEnv } from './web.js';

const LABEL = 'Bun';

/** Bun's `fetch` with a client certificate and CA: its own `tls` option on every request. */
export function bunTlsFetch(files: TlsFiles, base: FetchLike = fetch): FetchLike {
  const tls = {
    ...(files.cert === undefined ? {} : { cert: pemText(files.cert.data) }),
    ...(files.key === undefined ? {} : { key: pemText(files.key.data) }),
    ...(files.ca === undefined ? {} : { ca: pemText(files.ca.data) }),
  };
  return (input, init) => base(input, { ...init, tls } as RequestInit);
}

/** The platform of Bun. */
export const platform: Platform = {
  runtime: 'bun',
  label: LABEL,
  ...nodeCommon,
  env: processEnv,
  transport: (kind, settings, fetch) => {
    if (kind === 'undici') throw noUndici(LABEL);
    if (settings.tls === undefined) return fetchTransport(fetch);
    if (fetch !== undefined) {
      throw tlsWithCustomFetch(settings.tls);
    }
    return {
      transport: fetchTransport(bunTlsFetch(settings.tls)).transport,
      plan: { kind: 'custom', name: "Bun's fetch with TLS files" },
    };
  },
  undici: undefined,
  tls: nodeTls,
  syncSender: undefined,
};
