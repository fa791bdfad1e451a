import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:fast`: the tests that need no socket, no process and no thread: the call core driven by
 * scripts and a fake clock, the codegen, Fernet, the catalogue and the in-memory authnzerver's pure parts. A test
 * here that opens a socket fails (test/core/no-sockets.ts).
 */
export default defineConfig({
  // The sources' runtime seam is Node's platform (as tsconfig.json's `paths` say); built code resolves it
  // through package.json `imports`.
  resolve: {
    alias: { '#platform': fileURLToPath(new URL('./src/platform/node.ts', import.meta.url)) },
  },
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/codegen/generator/catalogue.test.ts',
      'test/codegen/generator/emit.test.ts',
      'test/codegen/generator/golden.test.ts',
      'test/codegen/tools/drift.test.ts',
      'test/codegen/tools/drift-refinements.test.ts',
      'test/codegen/tools/drift-command.test.ts',
      'test/codegen/tools/server-schema.test.ts',
      'test/fernet.test.ts',
      'test/errors.test.ts',
      'test/platform/webcrypto.test.ts',
      'test/config.test.ts',
      'test/testing/params.test.ts',
      'test/testing/py.test.ts',
    ],
    setupFiles: ['test/core/no-sockets.ts'],
    testTimeout: 30_000,
  },
});
