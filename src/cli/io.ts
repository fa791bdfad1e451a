/**
 * What the `authnzerver` command and each of its subcommands read and write: the streams, the environment and the
 * exit codes, passed in so that tests can run the CLI in-process as well as the bin as a child process.
 */

/** The streams and the environment of one run. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Standard input, read whole (for `--body -`). */
  readonly stdin: () => string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes. */
export const EXIT = {
  /** Success; for `doctor`, a healthy server. */
  ok: 0,
  /** The server turned the request down; for `doctor`, a server that answers but does not work with us. */
  refused: 1,
  /** A configuration, validation or transport error; for `doctor`, a configuration error or no server. */
  error: 2,
} as const;

/** A mistake in the command line: `main` prints it with the command's help, and exits with `EXIT.error`. */
export class UsageError extends Error {}
