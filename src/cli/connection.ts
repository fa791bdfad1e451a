/** The connection options that `request` and `doctor` share, and the client options they make. */
import type { AuthnzerverOptions } from '../client-options.js';
import { UsageError, type Io } from './io.js';

/** The connection options for `parseArgs`, with `--help`. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  secret: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The connection options as `parseArgs` returns them. */
export interface ConnectionValues {
  url?: string | undefined;
  secret?: string | undefined;
  'tls-cert'?: string | undefined;
  'tls-key'?: string | undefined;
  'tls-ca'?: string | undefined;
  timeout?: string | undefined;
}

/** The client's options from the connection options; what they leave out falls back to `env`. */
export function clientOptions(values: ConnectionValues, env: Io['env']): AuthnzerverOptions {
  let timeouts: AuthnzerverOptions['timeouts'];
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isFinite(ms) || ms <= 0)
      throw new UsageError('--timeout must be a positive number of milliseconds');
    timeouts = { request: ms, login: ms };
  }
  return {
    env,
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values.secret === undefined ? {} : { secret: values.secret }),
    ...(values['tls-cert'] === undefined ? {} : { tlsCertFile: values['tls-cert'] }),
    ...(values['tls-key'] === undefined ? {} : { tlsKeyFile: values['tls-key'] }),
    ...(values['tls-ca'] === undefined ? {} : { tlsCaFile: values['tls-ca'] }),
    ...(timeouts === undefined ? {} : { timeouts }),
    // A command line tool answers at once: no retries behind the operator's back.
    retry: false,
  };
}
