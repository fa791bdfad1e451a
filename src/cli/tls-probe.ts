/** A TLS handshake with the server, for `doctor`: what it tells of the protocol and the server certificate. */
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/** The TLS files of the resolved configuration; null where there is none. */
export interface TlsFiles {
  readonly cert: string | null;
  readonly key: string | null;
  readonly ca: string | null;
}

/** How the handshake went: the protocol and the server certificate's subject and expiry, or why it failed. */
export interface TlsHandshake {
  readonly ok: boolean;
  readonly detail: string;
}

/** Shakes hands with the server at `url` with the TLS files; never rejects. */
export function tlsProbe(files: TlsFiles, url: URL, timeout: number): Promise<TlsHandshake> {
  return new Promise((resolve) => {
    const read = (file: string | null): Buffer | undefined =>
      file === null ? undefined : readFileSync(file);
    const cert = read(files.cert);
    const key = read(files.key);
    const ca = read(files.ca);
    const options: ConnectionOptions = {
      host: url.hostname,
      port: Number(url.port || 443),
      timeout,
      ...(/^[\d.]+$|:/.test(url.hostname) ? {} : { servername: url.hostname }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      ...(ca === undefined ? {} : { ca }),
    };
    const socket = tlsConnect(options);
    const done = (handshake: TlsHandshake): void => {
      socket.destroy();
      resolve(handshake);
    };
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const subject = typeof peer.subject.CN === 'string' ? peer.subject.CN : 'unknown';
      done({
        ok: true,
        detail: `${socket.getProtocol() ?? 'TLS'}, server certificate for ${subject}, valid until ${peer.valid_to}; client certificate ${cert === undefined ? 'not sent' : 'sent'}`,
      });
    });
    socket.once('timeout', () => {
      done({ ok: false, detail: 'the handshake timed out' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      done({
        ok: false,
        detail: `the handshake failed: ${error.code ?? ''} ${error.message}`.trim(),
      });
    });
  });
}
