import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A loopback port with nothing listening on it: connecting is refused. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Finished {
  /** The exit code; null when it had to be killed at `limitMs` (it did not end on its own). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how `runProgram` runs a child: `stdin` is written and closed (default: empty). */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly stdin?: string;
  /** Past this the child is killed and reported with a null code (default 30 s). */
  readonly limitMs?: number;
}

/**
 * Runs `command` with `args` to its end and collects its output. Asynchronous on purpose: a test server in this
 * process must keep answering the child. A child still running after `limitMs` is killed and reported with a
 * null code, so a hang fails the test instead of stalling it.
 */
export function runProgram(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A child that exits before reading its input makes the write fail with EPIPE: its exit code and stderr
    // already say what happened, so the pipe's error is not a second failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
    }, options.limitMs ?? 30_000);
    // A program that cannot start (missing, not executable) ends the run as a failure, with the reason.
    child.on('error', (error) => {
      clearTimeout(guard);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code: signal === 'SIGKILL' ? null : code, stdout, stderr });
    });
  });
}

/** Runs node with `args` to its end and collects its output, as `runProgram`. */
export function runNode(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; stdin?: string; limitMs?: number } = {},
): Promise<Finished> {
  return runProgram(process.execPath, args, options);
}

/** Runs an ES module script given as text, with TypeScript imports allowed (through tsx). */
export function runScript(
  script: string,
  args: readonly string[] = [],
  options: { env?: Record<string, string | undefined>; limitMs?: number } = {},
): Promise<Finished> {
  return runNode(['--import', 'tsx', '--input-type=module', '-e', script, ...args], options);
}
