/**
 * TLS files, the parts every runtime that takes them shares: the `ConfigError` that names the option of a file,
 * and the check that each file is PEM of the right kind (for runtimes whose HTTP stack reads the files only at
 * the first handshake).
 */
import { ConfigError } from '../core/errors.js';
import type { TlsFiles } from '../transport/plan.js';

/** The option, and its environment variable, of each TLS file. */
export const TLS_OPTIONS = {
  cert: { option: 'tlsCertFile', envVar: 'AUTHNZERVER_TLS_CERTFILE' },
  key: { option: 'tlsKeyFile', envVar: 'AUTHNZERVER_TLS_KEYFILE' },
  ca: { option: 'tlsCaFile', envVar: 'AUTHNZERVER_TLS_CAFILE' },
} as const;

/** A `ConfigError` about one TLS file: `what` says what is wrong with it. */
export function tlsFileError(
  which: keyof typeof TLS_OPTIONS,
  what: string,
  cause?: unknown,
): ConfigError {
  const { option, envVar } = TLS_OPTIONS[which];
  return new ConfigError(`\`${option}\` ${what}`, { option, envVar, cause });
}

const latin1 = new TextDecoder('latin1');

/** Checks that the certificate and CA files hold PEM certificates and the key file a PEM private key. */
export function checkPemFiles(files: TlsFiles): void {
  const has = (data: Uint8Array, pattern: RegExp): boolean => pattern.test(latin1.decode(data));
  const certificate = /-----BEGIN CERTIFICATE-----/;
  if (files.ca !== undefined && !has(files.ca.data, certificate)) {
    throw tlsFileError('ca', `is not a PEM certificate: ${files.ca.path}`);
  }
  if (files.cert !== undefined && !has(files.cert.data, certificate)) {
    throw tlsFileError('cert', `is not a usable PEM certificate: ${files.cert.path}`);
  }
  if (files.key !== undefined && !has(files.key.data, /-----BEGIN [A-Z ]*PRIVATE KEY-----/)) {
    throw tlsFileError('key', `is not a usable PEM private key: ${files.key.path}`);
  }
}

/** The PEM text of a file, for HTTP stacks that take strings. */
export function pemText(data: Uint8Array): string {
  return latin1.decode(data);
}

/** The error of TLS files given with a custom `fetch`, which the client cannot give them to. */
export function tlsWithCustomFetch(files: TlsFiles): ConfigError {
  return new ConfigError(
    'TLS files cannot be used with a custom `fetch`; configure TLS in the fetch you pass',
    { option: files.cert === undefined ? 'tlsCaFile' : 'tlsCertFile' },
  );
}
