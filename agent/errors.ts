/**
 * An error the CLI prints as one line a person can act on, then exits with `exitCode`.
 * Anything else that reaches the top is a bug and prints its stack.
 */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

/** Wrong command line: exit 2, as most Unix tools do. */
export class UsageError extends AgentError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
