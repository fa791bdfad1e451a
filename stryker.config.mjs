// @ts-check
/**
 * Mutation testing (`npm run test:mutation`): Stryker changes one thing at a time in the sources below (a
 * condition, an operator, a string, a return value) and runs the tests that cover that spot; a change that no
 * test notices (a survivor) is a gap in the tests. See CONTRIBUTING.md, "Mutation testing".
 *
 * The tests it runs are vitest.mutation.config.ts's (it says which are left out, and why).
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    // The whole web layer, adapters included.
    'src/web/**/*.ts',
    // The call core's retry policy, redaction and validation.
    'src/core/retry.ts',
    'src/core/redact.ts',
    'src/core/validate.ts',
    // reply.ts's validation part only (toIssues and describeIssues; the database-error rule and the schema check in
    // `meaning`). Line ranges:
    // update them when reply.ts moves.
    'src/core/reply.ts:55-72',
    'src/core/reply.ts:183-186',
    'src/core/reply.ts:203-215',
  ],
  // Each mutant runs only the tests that reached it in the first (dry) run.
  coverageAnalysis: 'perTest',
  // A re-run tests only the mutants whose code or covering tests changed since the last run. The incremental file
  // is not committed (Stryker writes this machine's paths and options into it, and rewrites it on every run);
  // `npm run test:mutation` starts it from the committed mutation/baseline.json when it is missing
  // (scripts/mutation-report.js --seed). `npx stryker run --force` tests every mutant again.
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  // 2 cores, shared with other work: one test process (`-c 2` on a quiet machine). A mutant that makes a test
  // hang is stopped after 1.5 times the covering tests' time plus 5 s, and counts as detected (timeout).
  concurrency: 1,
  timeoutMS: 5_000,
  timeoutFactor: 1.5,
  dryRunTimeoutMinutes: 10,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportMutants: false },
  // What the sandbox needs is the sources, the tests and the configs; not the build or other outputs.
  ignorePatterns: ['dist', 'coverage', 'reports', 'mutation', '.tmp', 'bench', 'ecosystem-tests'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
