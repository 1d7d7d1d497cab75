/** Exit codes shared by every command, as the original shell scripts used them. */
export const ExitCode = {
  ok: 0,
  blocked: 1,
  warn: 2,
  usage: 64,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What a `UserError` may add to its message. */
export interface UserErrorOptions {
  /** The next thing to do, printed on a second line. */
  hint?: string | undefined;
  /** Default: 1 (blocked). */
  exitCode?: ExitCode;
  cause?: unknown;
}

/**
 * An error the operator can act on: printed as one line (plus an optional hint naming
 * the next thing to do), never with a stack trace.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? ExitCode.blocked;
    this.hint = options.hint;
  }
}

/** A usage error (bad flag value, missing argument): exit 64. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, hint });
    this.name = 'UsageError';
  }
}

/** Anything thrown, as an Error (a thrown string or object becomes the message). */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  return toError(error).message;
}

/**
 * The `code` of a Node system error (`ENOENT`, `EEXIST`…), of a PostgreSQL error
 * (`23505`) or of a library error (`EAUTH`); undefined when there is none.
 */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}
