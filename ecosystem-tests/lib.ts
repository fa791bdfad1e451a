/**
 * The parts of the ecosystem tests that the runner (ecosystem-tests/run.ts) and the runtimes bench
 * (bench/runtimes.ts) share: install the packed package in a new app folder as a user gets it, start the Node
 * test server the apps call (with a control URL that queues a fault), and run the app on each runtime. Each part
 * has its file: install.ts, fixture.ts, runtimes.ts, jest.ts, and process.ts for what they share.
 */
export { EXPECTED_TYPES, startFixture, type Fixture } from './fixture.js';
export { installApp, type Bundle, type InstalledApp } from './install.js';
export { jestProjects, runJest, type JestOutcome, type JestProject } from './jest.js';
export { ROOT, RUN_TIMEOUT_MS, runCommand } from './process.js';
export {
  RUNTIMES,
  slug,
  type AppConfig,
  type Outcome,
  type Report,
  type Runtime,
} from './runtimes.js';
