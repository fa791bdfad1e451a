/**
 * The public `UndiciTransport`: undici's transport where the runtime has undici (Node.js, Deno), built through
 * the platform seam, so that importing the package never loads undici where it is not the HTTP stack. The
 * transport itself is `undici.ts`.
 */
import { platform } from '#platform';
import { ConfigError } from '../core/errors.js';
import type { Transport, TransportOutcome, TransportRequest } from './types.js';
import type { UndiciTransportOptions } from './undici.js';

/**
 * The default transport on Node.js: undici's dispatcher over one keep-alive `Agent`. It costs a fraction of the
 * client CPU of `fetch` per request, and takes a TLS client certificate, key and CA.
 */
export class UndiciTransport implements Transport {
  readonly name = 'undici';
  readonly #transport: Transport;

  /** @throws {ConfigError} on a runtime without undici (Bun, Cloudflare Workers, edge functions). */
  constructor(options: UndiciTransportOptions) {
    if (platform.undici === undefined) {
      throw new ConfigError(
        `transport "undici" is not available on ${platform.label}; use "fetch" (the default here)`,
        { option: 'transport' },
      );
    }
    this.#transport = platform.undici(options);
  }

  send(request: TransportRequest): Promise<TransportOutcome> {
    return this.#transport.send(request);
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}
