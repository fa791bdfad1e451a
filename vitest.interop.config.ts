import { defineConfig } from 'vitest/config';

/** Cross-checks against independent implementations installed from Debian (run by .ci/run). */
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
