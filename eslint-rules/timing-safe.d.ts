import type { ESLint } from 'eslint';

/** The `timing-safe` ESLint plugin: `no-mac-comparison` and `unsign-verifies` (see timing-safe.js). */
declare const plugin: ESLint.Plugin;
export default plugin;
