/**
 * A problem with what authnzerver-codegen was given: a catalogue, a server schema, recorded replies. Its message says
 * what and where, starting with the file (`my.yaml: requests.user-login.args.email: …`), so the CLI prints the message
 * alone, without a stack trace, and exits with status 2. Any other error is a bug, and keeps its stack.
 */
export class CodegenError extends Error {
  override name = 'CodegenError';
}
