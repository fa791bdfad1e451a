/**
 * The `authnzerver` command: reads the command's name, runs `keygen`, `request` or `doctor` (src/cli/commands/), and
 * turns a usage error into the command's help. `main` takes the arguments and the streams, and returns the exit
 * code, so tests can run it in-process as well as the bin as a child process.
 */
import { AuthnzerverError, RequestValidationError } from '../core/errors.js';
import { doctor } from './commands/doctor.js';
import { keygen } from './commands/keygen.js';
import { request } from './commands/request.js';
import { HELP } from './help.js';
import { EXIT, UsageError, type Io } from './io.js';

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP.main as string);
        return command === undefined ? EXIT.error : EXIT.ok;
      case 'keygen':
        return keygen(rest, io);
      case 'request':
        return await request(rest, io);
      case 'doctor':
        return await doctor(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true
    ) {
      io.stderr(
        `authnzerver: ${(error as Error).message}\n\n${HELP[command ?? 'main'] ?? HELP.main}`,
      );
      return EXIT.error;
    }
    if (RequestValidationError.is(error) || AuthnzerverError.is(error)) {
      io.stderr(`authnzerver: ${error.message}\n`);
      return EXIT.error;
    }
    throw error;
  }
}
