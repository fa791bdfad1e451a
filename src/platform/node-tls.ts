/**
 * TLS files through node:fs and node:tls: read at construction, and checked the way the handshake will use
 * them. Node's, and Bun's (which implements both modules itself). Both modules are loaded by the first TLS file:
 * importing them costs about 10 ms of every process's start-up (node:tls brings node:net), which an app without
 * TLS files should not pay.
 */
import type * as Fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';
import { tlsFileError } from './tls.js';
import type { TlsFiles } from '../transport/plan.js';
import type { TlsSupport } from './types.js';

const load = createRequire(import.meta.url);
let fs: typeof Fs | undefined;
let tls: typeof Tls | undefined;

/** Checks each TLS file, and the key against its certificate, the way the handshake will use them. */
function checkWithNodeTls(files: TlsFiles): void {
  const tryContext = (
    which: 'cert' | 'key' | 'ca',
    what: string,
    options: Parameters<typeof Tls.createSecureContext>[0],
  ): void => {
    tls ??= load('node:tls') as typeof Tls;
    try {
      tls.createSecureContext(options);
    } catch (cause) {
      const code = (cause as { code?: string }).code ?? 'invalid';
      throw tlsFileError(which, `${what} (${code})`, cause);
    }
  };
  const buffer = (data: Uint8Array): Buffer =>
    Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const [cert, key, ca] = [files.cert, files.key, files.ca].map((file) =>
    file === undefined ? undefined : { path: file.path, data: buffer(file.data) },
  );
  if (ca !== undefined && !ca.data.includes('-----BEGIN CERTIFICATE-----')) {
    throw tlsFileError('ca', `is not a PEM certificate: ${ca.path}`);
  }
  if (ca !== undefined) {
    tryContext('ca', `is not a usable PEM certificate: ${ca.path}`, { ca: ca.data });
  }
  if (cert !== undefined) {
    tryContext('cert', `is not a usable PEM certificate: ${cert.path}`, { cert: cert.data });
  }
  if (key !== undefined) {
    tryContext('key', `is not a usable PEM private key: ${key.path}`, { key: key.data });
  }
  if (cert !== undefined && key !== undefined) {
    tryContext('key', 'does not belong to the certificate of `tlsCertFile`', {
      cert: cert.data,
      key: key.data,
    });
  }
}

/** TLS files read with node:fs and checked with node:tls. */
export const nodeTls: TlsSupport = {
  readFile: (path) => (fs ??= load('node:fs') as typeof Fs).readFileSync(path),
  check: checkWithNodeTls,
};
