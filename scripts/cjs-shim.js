// Injected by esbuild into each CommonJS module of dist/cjs that reads `import.meta.url` (scripts/build-cjs.js
// defines `import.meta.url` as this name): the module's own file URL, as `import.meta.url` is in an ES module.
/* global require, __filename */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS code, in CommonJS files */
export const __authnzerver_import_meta_url = require('node:url').pathToFileURL(__filename).href;
