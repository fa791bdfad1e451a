/**
 * authnzerver for TypeScript: a typed client for authnzerver, the small Python authentication and authorization
 * server.
 *
 * @example
 * import { Authnzerver } from 'authnzerver';
 * const client = new Authnzerver(); // AUTHNZERVER_URL and AUTHNZERVER_SECRET
 * const result = await client.request('session-exists', { session_token, client_ipaddr: '203.0.113.7' });
 * if (result.success) console.log(result.response);
 *
 * @packageDocumentation
 */
import { AuthnzerverClient } from './client.js';
import type { AuthnzerverOptions } from './config.js';

export * from './runtime.js';

/** The authnzerver client. */
// Until the catalogue is generated, the client knows no request types: every type goes through request().
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type
export class Authnzerver extends AuthnzerverClient<Record<never, never>> {
  /**
   * @param options see {@link AuthnzerverOptions}; `url` and `secret` fall back to `AUTHNZERVER_URL` and
   *   `AUTHNZERVER_SECRET`.
   */
  constructor(options?: AuthnzerverOptions) {
    super(options, {});
  }
}
