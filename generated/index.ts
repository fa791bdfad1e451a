// Generated from schema/authnzerver.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm run generate.
export type * from './types.js';
export { schemas } from './schemas.js';
export { CATALOGUE_HASH, CATALOGUE_NAME, REQUEST_TYPES, specs } from './specs.js';
export { Authnzerver, AuthnzerverSync } from './client.js';
