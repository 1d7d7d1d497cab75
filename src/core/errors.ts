/** Exit codes shared by every command (SPEC: "Exit codes"). */
export const ExitCode = {
  ok: 0,
  blocked: 1,
  warn: 2,
  usage: 64,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the operator can act on: printed as one line (plus an optional hint naming
 * the next thing to do), never with a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.blocked,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A usage error (bad flag value, missing argument): exit 64. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
    this.name = 'UsageError';
  }
}

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
