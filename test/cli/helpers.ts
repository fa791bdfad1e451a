import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runNode, type Finished } from '../helpers/processes.js';

/** The built bin, as package.json `bin` names it. */
const BIN = fileURLToPath(new URL('../../dist/src/cli/bin.js', import.meta.url));

/**
 * Runs the `authnzerver` command as users run it: the built bin, as a child process, with only PATH and `env` in
 * its environment, and `stdin` on its standard input.
 */
export function runBin(
  args: readonly string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<Finished> {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run npm run build first (npm test does)`);
  return runNode([BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    ...(stdin === undefined ? {} : { stdin }),
  });
}

/** Runs the CLI's `main` in this process with `env` as its environment: its exit code and all it printed. */
export async function runMain(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  let out = '';
  const io: Io = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    stdin: () => '',
    env,
  };
  const code = await main(args, io);
  return { code, out };
}
