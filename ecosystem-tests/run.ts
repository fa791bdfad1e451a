/**
 * `npm run test:ecosystem`: the same small app (app/app.js) on every runtime an app of ours may run on, against
 * the in-memory test server running here in Node, with the package installed from its tarball as a user gets
 * it; then the Jest projects (jest*\/). Prints one line per runtime and a table, and exits 1 unless every
 * runtime passed. `npm run test:ecosystem -- bun deno` runs some of them (names as in the table, `node-fetch`
 * for `node (fetch)`). ECO_JOBS=n runs n at once (2 by default); ECO_KEEP=1 keeps the app folder.
 */
import { isDeepStrictEqual } from 'node:util';
import { table } from '../bench/lib.js';
import {
  EXPECTED_TYPES,
  installApp,
  jestProjects,
  runJest,
  RUNTIMES,
  slug,
  startFixture,
  type InstalledApp,
  type Runtime,
} from './lib.js';

/** One runtime's verdict. */
interface Verdict {
  readonly name: string;
  readonly passed: boolean;
  readonly seconds: number;
  /** The transport the client used (`undici`, `fetch`), or '' when not known. */
  readonly transport: string;
  /** What passed, or what failed. */
  readonly detail: string;
  /** What the runtime printed, shown when it failed. */
  readonly output: string;
}

const log = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/**
 * Runs the app on one runtime against a test server of its own, with default options, and checks the app's
 * report and what the server saw: every step in order, the runtime it ran on, each request received, the fault
 * taken, and for CommonJS that `require` gave CommonJS.
 */
async function runApp(app: InstalledApp, runtime: Runtime, index: number): Promise<Verdict> {
  const started = performance.now();
  const fixture = await startFixture(app);
  const ip = `203.0.113.${index + 1}`;
  const problems: string[] = [];
  let output = '';
  let transport = '';
  let resolved = '';
  try {
    const outcome = await runtime.run(app, {
      url: fixture.server.url,
      secret: fixture.server.secret,
      control: fixture.control,
      ip,
      transport: runtime.transport,
    });
    output = outcome.output;
    const report = outcome.report;
    transport = report?.transport ?? '';
    resolved = report?.resolved === undefined ? '' : `, require() loaded ${report.resolved}`;
    if (outcome.problem !== undefined) problems.push(outcome.problem);
    if (report === undefined) {
      // nothing more to check
    } else if (!report.ok) {
      problems.push(
        `failed after ${report.steps?.length ?? 0} steps: ${report.error ?? 'no error given'}`,
      );
    } else {
      if (!isDeepStrictEqual(report.steps, app.steps)) {
        problems.push(`steps ${JSON.stringify(report.steps)}`);
      }
      if (runtime.transport !== undefined && report.transport !== runtime.transport) {
        problems.push(
          `the client used ${report.transport ?? 'no'} transport, not ${runtime.transport}`,
        );
      }
      if (report.runtime !== runtime.reports) {
        problems.push(`ran on ${report.runtime}, not ${runtime.reports}`);
      }
      const received = fixture.server.received;
      const types = received.map((request) => request.type);
      if (!isDeepStrictEqual(types, EXPECTED_TYPES)) {
        problems.push(`the server received ${types.join(', ')}`);
      }
      if (received.some((request) => request.clientIpaddr !== ip)) {
        problems.push('a request came from another run');
      }
      if (fixture.faultsAsked() !== 1 || fixture.server.pendingFaults() !== 0) {
        problems.push(
          `faults: ${fixture.faultsAsked()} asked, ${fixture.server.pendingFaults()} not taken`,
        );
      }
    }
    if (report?.formats !== undefined) {
      const esm = Object.entries(report.formats).filter(([, format]) => format !== 'cjs');
      if (esm.length > 0) {
        problems.push(`require() gave ES modules for ${esm.map(([name]) => name).join(', ')}`);
      }
    }
  } catch (error) {
    problems.push(`the runner failed: ${(error as Error).message}`);
  } finally {
    await fixture.close();
  }
  return {
    name: runtime.name,
    passed: problems.length === 0,
    seconds: (performance.now() - started) / 1000,
    transport,
    detail:
      problems.length === 0
        ? `${app.steps.length} steps, ${transport} transport (${runtime.note}${resolved})`
        : problems.join('; '),
    output,
  };
}

/** Runs tasks with at most `jobs` at once, in order of start. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task !== undefined) results[index] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}

const started = performance.now();
const wanted = new Set(process.argv.slice(2));
const runtimes = RUNTIMES.filter((r) => wanted.size === 0 || wanted.has(slug(r.name)));
const projects = jestProjects().filter((p) => wanted.size === 0 || wanted.has(p.name));
const known = [...RUNTIMES.map((r) => slug(r.name)), ...jestProjects().map((p) => p.name)];
const unknown = [...wanted].filter((name) => !known.includes(name));
if (unknown.length > 0) {
  log(`unknown runtime ${unknown.join(', ')}: the runtimes are ${known.join(', ')}`);
  process.exit(2);
}

const app = await installApp();
log(
  `authnzerver ${app.version} packed and installed in ${(app.installMs / 1000).toFixed(1)} s; ` +
    `Node ${process.version}; bundles (gzip): workerd ${app.worker.ok ? `${(app.worker.bytes / 1024).toFixed(1)} KiB` : 'failed'}, ` +
    `edge ${app.edge.ok ? `${(app.edge.bytes / 1024).toFixed(1)} KiB` : 'failed'}`,
);

const report = (verdict: Verdict): Verdict => {
  log(
    `${verdict.passed ? '✔' : '✘'} ${verdict.name} (${verdict.seconds.toFixed(1)} s): ${verdict.detail}`,
  );
  if (!verdict.passed && verdict.output !== '') {
    log(verdict.output.replace(/^/gm, '    | '));
  }
  return verdict;
};

const tasks: (() => Promise<Verdict>)[] = [
  ...runtimes.map((runtime, index) => async () => report(await runApp(app, runtime, index))),
  ...projects.map((project) => async () => {
    const begun = performance.now();
    const outcome = await runJest(app, project);
    const problems = [
      ...(outcome.problem === undefined ? [] : [outcome.problem]),
      ...(outcome.failed > 0 ? [`${outcome.failed} tests failed`] : []),
      ...(outcome.passed === 0 ? ['no test passed'] : []),
    ];
    return report({
      name: project.name,
      passed: problems.length === 0,
      seconds: (performance.now() - begun) / 1000,
      transport: '',
      detail:
        problems.length === 0
          ? `${outcome.passed} tests passed (Jest ${outcome.version}, default config)`
          : problems.join('; '),
      output: outcome.output,
    });
  }),
];

// The app folder goes when the runner ends, however it ends (unless ECO_KEEP=1).
if (process.env.ECO_KEEP === '1') log(`the app folder is kept: ${app.dir}`);
else
  process.once('exit', () => {
    app.cleanup();
  });

const verdicts = await pool(tasks, Number(process.env.ECO_JOBS ?? 2));

const failed = verdicts.filter((v) => !v.passed);
log('');
log(
  table(
    ['runtime', 'result', 'transport', 'seconds'],
    verdicts.map((v) => [
      v.name,
      v.passed ? 'pass' : 'FAIL',
      v.transport === '' ? '-' : v.transport,
      v.seconds.toFixed(1),
    ]),
  ),
);
log(
  `\n${verdicts.length - failed.length} of ${verdicts.length} passed in ${((performance.now() - started) / 1000).toFixed(1)} s` +
    (failed.length > 0 ? `; failed: ${failed.map((v) => v.name).join(', ')}` : ''),
);
process.exitCode = failed.length === 0 ? 0 : 1;
