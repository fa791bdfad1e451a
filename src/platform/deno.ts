/**
 * The Deno platform (the `deno` condition of `#platform`): undici by default, as on Node (it measured faster than
 * Deno's fetch: docs/runtimes.md); with TLS files, the fetch transport through a `Deno.createHttpClient` that
 * presents the client certificate and trusts the CA, read with `Deno.readFileSync`; Fernet on node:crypto
 * (Deno's own, synchronous; faster there than WebCrypto). No sync API: it needs Node's worker threads.
 */
import { ConfigError } from '../core/errors.js';
import { FetchTransport, type FetchLike } from '../transport/fetch.js';
import { createTransport, undiciPlan } from '../transport/create.js';
import type { TlsFiles } from '../transport/plan.js';
import { UndiciDispatchTransport } from '../transport/undici.js';
import { nodeCommon } from './node-common.js';
import { checkPemFiles, pemText, tlsFileError, tlsWithCustomFetch } from './tls.js';
import type { BuiltTransport, Platform, TlsSupport } from './types.js';
import { fetchTransport, processEnv } from './web.js';

const LABEL = 'Deno';

/** The parts of the `Deno` namespace used here (this package is compiled without Deno's types). */
interface DenoHttpClient {
  close(): void;
}
interface DenoApi {
  readFileSync(path: string): Uint8Array;
  createHttpClient(options: { cert?: string; key?: string; caCerts?: string[] }): DenoHttpClient;
}
const deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

/** Deno's HTTP client for the TLS files. @throws {ConfigError} when Deno cannot use them. */
function httpClient(files: TlsFiles): DenoHttpClient {
  try {
    return deno.createHttpClient({
      ...(files.cert === undefined ? {} : { cert: pemText(files.cert.data) }),
      ...(files.key === undefined ? {} : { key: pemText(files.key.data) }),
      ...(files.ca === undefined ? {} : { caCerts: [pemText(files.ca.data)] }),
    });
  } catch (cause) {
    const which = files.cert === undefined ? 'ca' : 'key';
    const what =
      which === 'key'
        ? 'and `tlsCertFile` cannot be used together by Deno.createHttpClient'
        : 'cannot be used by Deno.createHttpClient';
    throw tlsFileError(which, `${what} (${(cause as Error).name})`, cause);
  }
}

/** TLS files read with `Deno.readFileSync`, checked as PEM and by building their `HttpClient`. */
const denoTls: TlsSupport = {
  readFile: (path) => {
    try {
      return deno.readFileSync(path);
    } catch (error) {
      // Deno's errors name the problem in `name` (NotFound, PermissionDenied, NotCapable); keep it as a code.
      throw Object.assign(new Error((error as Error).message), { code: (error as Error).name });
    }
  },
  check: (files) => {
    checkPemFiles(files);
    httpClient(files).close();
  },
};

/** Deno's `fetch` through an `HttpClient` that presents the client certificate and trusts the CA. */
function denoTlsTransport(files: TlsFiles): BuiltTransport {
  const client = httpClient(files);
  const tlsFetch: FetchLike = (input, init) => fetch(input, { ...init, client } as RequestInit);
  return {
    transport: new FetchTransport(tlsFetch, () => {
      client.close();
    }),
    plan: { kind: 'custom', name: "Deno's fetch with TLS files" },
  };
}

/** The platform of Deno. */
export const platform: Platform = {
  runtime: 'deno',
  label: LABEL,
  ...nodeCommon,
  env: processEnv,
  transport: (kind, settings, fetch) => {
    if (settings.tls !== undefined) {
      if (kind === 'undici') {
        throw new ConfigError(
          'on Deno, TLS files go through `Deno.createHttpClient` with transport "fetch" (the default with ' +
            'TLS files), not "undici"',
          { option: 'transport' },
        );
      }
      if (fetch !== undefined) throw tlsWithCustomFetch(settings.tls);
      return denoTlsTransport(settings.tls);
    }
    if (kind === 'fetch') return fetchTransport(fetch);
    const plan = undiciPlan(settings);
    return { transport: createTransport(plan), plan };
  },
  undici: (options) => new UndiciDispatchTransport(options),
  tls: denoTls,
  syncSender: undefined,
};
