import { main } from '../../codegen/cli.js';

/** Runs `authnzerver-codegen` (or one of its subcommands) in-process, for the generator's tests. */

/** What a run printed, and its exit status. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A command as codegen/cli.ts and codegen/tools/commands.ts define them: argv and two printers in, exit status out. */
export type Command = (
  argv: string[],
  out: (text: string) => void,
  err: (text: string) => void,
) => Promise<number>;

/** Runs `command` (default: the whole CLI, `authnzerver-codegen …`) and collects what it prints. */
export async function runCommand(command: Command, ...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await command(
    argv,
    (text) => (out += text),
    (text) => (err += text),
  );
  return { code, out, err };
}

/** `authnzerver-codegen …argv`, in-process. */
export const runCli = (...argv: string[]): Promise<CliRun> => runCommand(main, ...argv);
