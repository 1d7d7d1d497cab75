import { UserError, errnoCode } from '../errors.js';

/**
 * Why the server cancelled a statement (SQLSTATE 57014), in words: its statement_timeout,
 * or a cancel request (pg_cancel_backend, or the tool's own on Ctrl-C).
 */
function cancelReason(error: unknown): string | undefined {
  if (errnoCode(error) !== '57014') return undefined;
  const message = error instanceof Error ? error.message : '';
  return /statement timeout/i.test(message) ? 'statement timeout' : 'cancel request';
}

/**
 * A database error that is not a bug of the tool, as one line naming the database (when
 * `where` is given), or undefined for any other error. Today: a statement the server
 * cancelled (57014).
 */
export function databaseProblem(error: unknown, where?: string): UserError | undefined {
  if (error instanceof UserError) return undefined;
  const reason = cancelReason(error);
  const database = where === undefined ? 'the database' : `the database at ${where}`;
  if (reason === 'statement timeout') {
    return new UserError(`${database} cancelled the query: statement timeout`, {
      hint: "a query ran longer than the server's statement_timeout (set for this role or database); rerun when the database is less busy, or raise it",
      cause: error,
    });
  }
  if (reason === 'cancel request') {
    return new UserError(`${database} cancelled the query: cancel request`, {
      hint: 'someone cancelled it on the server (pg_cancel_backend); rerun the same command',
      cause: error,
    });
  }
  return undefined;
}
