/** A problem the user can fix: the CLI prints its message without a stack trace and exits with code 1. */
export class CliError extends Error {
  override name = 'CliError';
}
