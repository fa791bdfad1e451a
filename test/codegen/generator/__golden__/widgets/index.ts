// Generated from test/fixtures/codegen/widgets.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm test.
export type * from './types.js';
export { schemas } from './schemas.js';
export { CATALOGUE_HASH, CATALOGUE_NAME, REQUEST_TYPES, specs } from './specs.js';
export { Widgets, WidgetsSync } from './client.js';
