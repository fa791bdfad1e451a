import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The test folders that need no socket, no process and no thread (each mirrors its source folder). A folder joins
 * the fast tier when all its tests are pure; test/helpers/no-sockets.ts fails a test here that opens a socket.
 */
const PURE = ['core', 'crypto', 'config', 'codegen/generator', 'codegen/tools'];

/**
 * `npm run test:fast`: the tests that need no socket, no process and no thread: the call core driven by
 * scripts and a fake clock, Fernet, the configuration, the code generator and its catalogue, and the catalogue tools.
 */
export default defineConfig({
  // The sources' runtime seam is Node's platform (as tsconfig.json's `paths` say); built code resolves it
  // through package.json `imports`.
  resolve: {
    alias: { '#platform': fileURLToPath(new URL('./src/platform/node.ts', import.meta.url)) },
  },
  test: {
    // Whole folders, each pure: a test file that needs a socket, a process or a thread lives elsewhere.
    include: PURE.map((folder) => `test/${folder}/**/*.test.ts`),
    setupFiles: ['test/helpers/no-sockets.ts'],
    // Worker threads start faster than child processes, and nothing here needs a process of its own: about 16 s
    // against 21 s with forks on the 2-core machine.
    pool: 'threads',
    testTimeout: 30_000,
  },
});
