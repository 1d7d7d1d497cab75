import type { Sql } from 'postgres';
import { ExitCode, UserError } from '../errors.js';
import { Interrupted, cancelOnAbort } from './cancel.js';
import { isConnectionError } from './connection-loss.js';
import { abandonOnLoss, unlessLost, watchSessionLoss } from './session-loss.js';
import type { AdvisoryLock } from './locks.js';

/** How `withAdvisoryLock` behaves when another session holds the lock. */
export interface AdvisoryLockOptions {
  /** How messages name the database. */
  where: string;
  /** The hint of the refusal when the lock is held (fail-fast mode). */
  hint: string;
  /** Wait for the holder instead of refusing (migrate's `--wait`). */
  wait?: boolean;
  /** Aborting it cancels the wait (Ctrl-C); the run then ends as interrupted. */
  signal?: AbortSignal;
  /** The hint when the wait was interrupted. Default: nothing was changed. */
  interruptedHint?: string;
  /**
   * How long `fn`, once the session is lost, may take to stop by itself (it is given the
   * loss as an AbortSignal) before it is abandoned and the loss thrown. Default 0: at
   * once, right for work that only touches the database. Infinity: `fn` stops by itself
   * (a send must first record what the relay accepted).
   */
  graceMs?: number;
}

/**
 * Runs `fn` holding a session-level advisory lock on one reserved connection, so that
 * lock, work and unlock share one session whatever the pool size. `fn` must run all its
 * queries on the connection it is given: the embedded database has only that one, and a
 * query on the pool would wait for it forever. The lock is released when `fn` ends,
 * whether it returns or throws, except when the session was lost (the server released
 * it already, and a query on the dead connection would never settle). `fn` also gets a
 * signal aborted when the session is lost (see watchSessionLoss).
 */
export async function withAdvisoryLock<T>(
  sql: Sql,
  lock: AdvisoryLock,
  fn: (conn: Sql, lost: AbortSignal) => Promise<T>,
  options: AdvisoryLockOptions,
): Promise<T> {
  const conn = await sql.reserve();
  const watch = watchSessionLoss(sql);
  const lost = watch.signal;
  try {
    await unlessLost(acquire(conn, lock, options), lost);
    let failed = false;
    try {
      return await abandonOnLoss(fn(conn, lost), lost, options.graceMs ?? 0);
    } catch (error) {
      failed = isConnectionError(error);
      throw error;
    } finally {
      if (!failed && !lost.aborted) {
        await unlessLost(conn`select pg_advisory_unlock(${lock.key}::bigint)`, lost).catch(
          () => {},
        );
      }
    }
  } finally {
    watch.stop();
    // A lost connection is back in the client's closed queue: releasing it would put it
    // among the open ones.
    if (!lost.aborted) conn.release();
  }
}

/** Takes the lock, waiting for it or refusing at once with one line naming the holder's kind. */
async function acquire(conn: Sql, lock: AdvisoryLock, options: AdvisoryLockOptions) {
  if (options.wait) {
    await cancelOnAbort(conn`select pg_advisory_lock(${lock.key}::bigint)`, options.signal).catch(
      (error: unknown) => {
        if (!(error instanceof Interrupted)) throw error;
        throw new UserError(
          `interrupted while waiting for another ${lock.name} on ${options.where}`,
          {
            exitCode: ExitCode.interrupted,
            hint: options.interruptedHint ?? 'nothing was changed',
          },
        );
      },
    );
    return;
  }
  const [row] = await conn<{ locked: boolean }[]>`
    select pg_try_advisory_lock(${lock.key}::bigint) as locked`;
  if (!row?.locked) {
    throw new UserError(
      `another ${lock.name} is running on ${options.where} (advisory lock ${lock.key} is held)`,
      { hint: options.hint },
    );
  }
}
