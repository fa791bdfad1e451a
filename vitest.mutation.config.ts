import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The tests that `npm run test:mutation` (Stryker, stryker.config.mjs) runs against each mutant of `src/web/`
 * and of the call core's retry, redaction and validation modules. Only tests that run the sources in this
 * process count: a mutant is switched on in the test process, so a child process, a worker thread or a bundle
 * built for another runtime only sees the original code.
 *
 * Left out on purpose:
 * - test/browser/ (the browser journey in Chromium) and test/web/runtimes.test.ts (the web core bundled and run
 *   in workerd, the edge runtime, Bun and Deno): seconds per run in other processes, so they would cost much
 *   per mutant and could kill none;
 * - test/package/ and ecosystem-tests/ (they pack the tarball and install it): far too slow per mutant, and they
 *   test the built `dist/`, not the sources Stryker mutates;
 * - test/cli/ and the codegen tests: child processes, or code that is not mutated here.
 */
export default defineConfig({
  // The sources' runtime seam is Node's platform (as tsconfig.json's `paths` say).
  resolve: {
    alias: { '#platform': fileURLToPath(new URL('./src/platform/node.ts', import.meta.url)) },
  },
  test: {
    include: [
      // The web layer: each of its files on its own, and through the Express, Fastify and Hono adapters over
      // real HTTP on loopback (test/web/example-app.test.ts runs the built package, so it is left out).
      'test/web/**/*.test.ts',
      // The call core driven by scripts and a fake clock: retry rules and policy, validation, key rotation.
      'test/core/**/*.test.ts',
      // Retries over real HTTP, and key rotation against the in-memory server.
      'test/client/retry.test.ts',
      'test/client/rotation.test.ts',
      // Transport failures and what each may retry (delivery: not-sent or maybe-sent).
      'test/client/replies.test.ts',
      'test/client/no-reply.test.ts',
      'test/client/calls.test.ts',
      // Redaction in logs and hooks.
      'test/observe/observer.test.ts',
      // Whatever the server replies, the client returns a tuple (validation of replies).
      'test/client/fuzz.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    exclude: ['test/web/example-app.test.ts', 'test/web/runtimes.test.ts'],
    typecheck: { enabled: false },
  },
});
