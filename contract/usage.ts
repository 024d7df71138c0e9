/** A problem with what the user asked for: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A server that could not start (the OS refused a resource): one line, exit code 1. */
export class StartError extends Error {
  override name = 'StartError';
}
