/**
 * authnzerver for TypeScript: a typed client for authnzerver, the small Python authentication and authorization
 * server. `Authnzerver` has one typed method per request type of the catalogue (schema/authnzerver.yaml).
 *
 * @example
 * import { Authnzerver } from 'authnzerver';
 * const client = new Authnzerver(); // AUTHNZERVER_URL and AUTHNZERVER_SECRET
 * const result = await client.sessionExists({ session_token, client_ipaddr: req.ip });
 * if (result.success) console.log(result.response.session_info.user_id);
 *
 * @packageDocumentation
 */
export * from './runtime.js';
export * from '../generated/index.js';
