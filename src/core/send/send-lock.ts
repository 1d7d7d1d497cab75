import type { Sql } from 'postgres';
import { connectionLostError, isConnectionError } from '../db/connection-loss.js';
import { UserError } from '../errors.js';

/** The advisory lock held by a confirmed `send` (next to migrate's …601 and sweep's …603). */
export const SEND_LOCK = 7_418_326_604;

/**
 * Runs `fn` holding the database's send lock on one reserved connection, which `fn` must
 * use for all its queries (the embedded database has no other). Two sends at once, even
 * of two folders, could both see an invite unsent and email it twice: the second one is
 * refused before it reads anything.
 */
export async function withSendLock<T>(
  sql: Sql,
  where: string,
  fn: (conn: Sql) => Promise<T>,
): Promise<T> {
  const conn = await sql.reserve();
  try {
    const [row] = await conn<{ locked: boolean }[]>`
      select pg_try_advisory_lock(${SEND_LOCK}) as locked`;
    if (!row?.locked) {
      throw new UserError(
        `another send is running on ${where} (advisory lock ${SEND_LOCK} is held)`,
        { hint: 'wait for it to finish: two at once could email the same person twice' },
      );
    }
    let lost = false;
    try {
      return await fn(conn);
    } catch (error) {
      lost = isConnectionError(error);
      if (!lost) throw error;
      throw connectionLostError(
        error,
        where,
        "every message sent is in the folder's sent.jsonl: rerun the same command to record them and send the rest, none twice",
      );
    } finally {
      // The lock ended with a lost session; a query on its connection would never settle
      // (postgres.js 3.4.9 throws from a timer writing it, see isClosedSocketWrite).
      if (!lost) await conn`select pg_advisory_unlock(${SEND_LOCK})`.catch(() => {});
    }
  } finally {
    conn.release();
  }
}
