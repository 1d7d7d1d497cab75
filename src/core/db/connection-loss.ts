import { UserError, errnoCode } from '../errors.js';

/**
 * The database went away (not one recipient's fault): stop the run instead of marking
 * every remaining recipient failed. Class 08 is connection exceptions, 57P0x shutdowns.
 */
export function isConnectionError(error: unknown): boolean {
  const code = errnoCode(error);
  if (typeof code !== 'string') return false;
  return (
    /^(08|57P0)/.test(code) || /^CONNECTION_|^E(CONNRESET|CONNREFUSED|PIPE|TIMEDOUT)$/.test(code)
  );
}

/**
 * Why a connection that was working went away, in words: the server's own message when it
 * ended the session (class 57P0x: terminated by an administrator, shutting down), else what
 * happened to the socket.
 */
export function connectionLossReason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^(08|57P0)/.test(code) && typeof e.message === 'string') return e.message;
  const reasons: Record<string, string> = {
    CONNECTION_CLOSED: 'the server closed the connection',
    CONNECTION_ENDED: 'the connection was ended',
    CONNECTION_DESTROYED: 'the connection was ended',
    ECONNRESET: 'connection reset',
    EPIPE: 'connection reset',
    ETIMEDOUT: 'timed out',
    ECONNREFUSED: 'connection refused',
  };
  return reasons[code] ?? 'connection lost';
}

/** The database went away in the middle of a command: one line, and how to finish. */
export function connectionLostError(error: unknown, where: string, hint: string): UserError {
  return new UserError(
    `lost the connection to the database at ${where}: ${connectionLossReason(error)}`,
    { hint: hint },
  );
}

/**
 * postgres.js 3.4.9 can write to a connection the server has just closed from a timer,
 * which throws outside any promise (porsager/postgres#1154, #1208) and would kill the
 * process with a stack trace, although the query involved has already failed and that
 * failure is being reported. Recognised here so that main can let the report finish.
 */
export function isClosedSocketWrite(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /\(reading 'write'\)/.test(error.message) &&
    /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? '')
  );
}
