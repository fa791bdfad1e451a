/** `authnzerver keygen`: prints a new secret in the server's format. */
import { parseArgs } from 'node:util';
import { generateFernetKey } from '../../crypto/fernet.js';
import { HELP } from '../help.js';
import { EXIT, type Io } from '../io.js';

/** Runs `keygen` with the arguments after the command's name; returns the exit code. */
export function keygen(argv: string[], io: Io): number {
  const { values } = parseArgs({
    args: argv,
    options: { help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    io.stdout(HELP.keygen as string);
    return EXIT.ok;
  }
  io.stdout(`${generateFernetKey()}\n`);
  return EXIT.ok;
}
