// The example app of authnzerver/next. It runs from this repository: `authnzerver` resolves to the package's
// build (dist/, made by `npm run build`), through tsconfig.json's paths.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, which holds the lock file and node_modules. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @type {import('next').NextConfig} */
const config = {
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
};

export default config;
