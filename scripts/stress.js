// The suite under load: runs the whole test suite N times in a row while another process keeps one core busy,
// as on a shared CI runner or a laptop doing something else. Every run must pass.
//
//   npm run test:stress                 # `npm test` 3 times, one core busy
//   npm run test:stress -- 5            # 5 times (or STRESS_RUNS=5)
//   npm run test:stress -- 5 --vitest   # only `vitest run`, without build, codegen check, typecheck, lint, format
//
// The busy loop is stopped however this ends: success, a failed run, Ctrl-C, or SIGTERM. If this process is killed
// outright (SIGKILL), the busy loop notices that its parent is gone and exits by itself.
import { spawn } from 'node:child_process';
import console from 'node:console';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const USAGE =
  'usage: node scripts/stress.js [runs] [--vitest]   (runs also from STRESS_RUNS; default 3)';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const vitestOnly = args.includes('--vitest');
const positional = args.filter((arg) => !arg.startsWith('--'));
if (positional.length > 1 || args.some((arg) => arg.startsWith('--') && arg !== '--vitest')) {
  console.error(USAGE);
  process.exit(2);
}
const runsText = positional[0] ?? process.env.STRESS_RUNS ?? '3';
const runs = Number(runsText);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `stress: the number of runs must be a positive integer, not ${JSON.stringify(runsText)}`,
  );
  console.error(USAGE);
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const command = vitestOnly ? [npm, 'exec', '--', 'vitest', 'run'] : [npm, 'test'];
const label = vitestOnly ? 'vitest run' : 'npm test';

// One core kept busy. It checks now and then that its parent is still this process, so that it cannot outlive
// a stress run that was killed without a chance to clean up.
const BUSY = `const parent = process.ppid; for (let i = 1; ; i++) if (i % 5e7 === 0 && process.ppid !== parent) process.exit(0);`;
const busy = spawn(process.execPath, ['-e', BUSY], { stdio: 'ignore' });
let current;
let stopping = false;

/** Ends a run: npm and everything it started (vitest, its workers, their children), as one process group. */
function stopRun(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill('SIGTERM');
    else process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

function stopAll() {
  if (busy.exitCode === null && busy.signalCode === null) busy.kill('SIGKILL');
  if (current !== undefined) stopRun(current);
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\nstress: ${signal}, stopping the busy loop and the current run`);
    stopAll();
    process.exit(130);
  });
}
busy.on('exit', (code, signal) => {
  if (!stopping) {
    console.error(
      `stress: the busy loop ended on its own (${signal ?? code}); the runs would not be under load`,
    );
    process.exit(1);
  }
});

function runOnce() {
  return new Promise((resolve) => {
    const started = performance.now();
    // A process group of its own, so that stopping it reaches vitest's workers too (npm does not pass signals on).
    current = spawn(command[0], command.slice(1), {
      stdio: 'inherit',
      detached: process.platform !== 'win32',
    });
    current.on('exit', (code, signal) => {
      current = undefined;
      resolve({ code, signal, seconds: (performance.now() - started) / 1000 });
    });
    current.on('error', (error) => {
      current = undefined;
      resolve({ code: null, signal: String(error), seconds: (performance.now() - started) / 1000 });
    });
  });
}

console.log(
  `stress: ${runs} run(s) of \`${label}\` with one core busy (pid ${busy.pid}; ${availableParallelism()} cores)`,
);
const results = [];
for (let run = 1; run <= runs; run++) {
  console.log(`\nstress: run ${run}/${runs} starting`);
  const result = await runOnce();
  const passed = result.code === 0;
  results.push({ ...result, passed });
  console.log(
    `stress: run ${run}/${runs} ${passed ? 'PASSED' : `FAILED (${result.signal ?? `exit ${result.code}`})`} in ${result.seconds.toFixed(1)} s`,
  );
}
stopping = true;
stopAll();

const failed = results.filter((r) => !r.passed).length;
console.log('\nstress: summary');
results.forEach((r, i) => {
  console.log(`  run ${i + 1}: ${r.passed ? 'pass' : 'FAIL'}  ${r.seconds.toFixed(1)} s`);
});
const total = results.reduce((sum, r) => sum + r.seconds, 0);
console.log(
  `stress: ${runs - failed}/${runs} passed under load (\`${label}\`, one core busy), ${total.toFixed(1)} s in all`,
);
process.exitCode = failed === 0 ? 0 : 1;
