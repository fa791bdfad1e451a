import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Cross-checks against independent implementations installed from Debian (run by .ci/run). */
export default defineConfig({
  // The sources' runtime seam is Node's platform (as tsconfig.json's `paths` say); built code resolves it
  // through package.json `imports`.
  resolve: {
    alias: { '#platform': fileURLToPath(new URL('./src/platform/node.ts', import.meta.url)) },
  },
  test: {
    include: ['test/interop/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
