/**
 * The platform of runtimes with only web APIs (the `default` condition of `#platform`, and the base of
 * `workerd.ts` and `edge-light.ts`): Fernet on WebCrypto (asynchronous), ky over the runtime's `fetch`, and none
 * of what needs Node: no TLS client certificates or CA files (a `ConfigError` at construction), no sync API, no
 * tracing channel. It imports nothing from `node:` and nothing from undici, not even through another module; a
 * test bundles it with esbuild to make sure.
 */
import { ConfigError } from '../core/errors.js';
import { WebFernet } from '../crypto/fernet-web.js';
import { FetchTransport, type FetchLike } from '../transport/fetch.js';
import type { BuiltTransport, CallChannel, ChannelPart, Platform, RuntimeName } from './types.js';

/** `process.env` where the runtime has one (Bun, Deno, edge functions, workerd with `nodejs_compat`), else none. */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env ?? {};
}

/** The error of transport "undici" where undici is not the runtime's HTTP stack. */
export function noUndici(label: string): ConfigError {
  return new ConfigError(
    `transport "undici" is not available on ${label}; use "fetch" (the default here)`,
    { option: 'transport' },
  );
}

/** ky over a `fetch`: the runtime's own, or the one the options give. */
export function fetchTransport(fetch: FetchLike | undefined): BuiltTransport {
  return {
    transport: new FetchTransport(fetch),
    plan: fetch === undefined ? { kind: 'fetch' } : { kind: 'custom', name: 'a custom fetch' },
  };
}

const silent: ChannelPart<object> = {
  publish: () => undefined,
  runStores: (_message, run) => run(),
};

/** A TracingChannel nobody can subscribe to, for runtimes without `diagnostics_channel`. */
export const silentChannel: CallChannel<object> = {
  hasSubscribers: false,
  start: silent,
  end: silent,
  asyncStart: silent,
  asyncEnd: silent,
  error: silent,
};

/** The web platform, under a runtime's name. */
export function webPlatform(runtime: RuntimeName, label: string): Platform {
  return {
    runtime,
    label,
    cipher: (raw) => new WebFernet(raw),
    syncFernet: undefined,
    sha256Hex: undefined,
    env: processEnv,
    transport: (kind, _settings, fetch) => {
      if (kind === 'undici') throw noUndici(label);
      return fetchTransport(fetch);
    },
    undici: undefined,
    tls: undefined,
    syncSender: undefined,
    tracingChannel: () => silentChannel,
  };
}

/** The platform of any runtime without a module of its own. */
export const platform: Platform = webPlatform('web', 'this runtime (no Node.js APIs)');
