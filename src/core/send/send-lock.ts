import type { Sql } from 'postgres';
import { withAdvisoryLock } from '../db/advisory-lock.js';
import { connectionLostError, isConnectionError } from '../db/connection-loss.js';
import { LOCKS } from '../db/locks.js';

/** The advisory lock key held by a confirmed `send` (the registry's, under its historical name). */
export const SEND_LOCK = LOCKS.send.key;

/**
 * Runs `fn` holding the database's send lock on one reserved connection, which `fn` must
 * use for all its queries (the embedded database has no other). Two sends at once, even
 * of two folders, could both see an invite unsent and email it twice: the second one is
 * refused before it reads anything. A lost session ends the run with one line saying how
 * to finish; `fn` gets it as a signal and must stop sending on it.
 */
export async function withSendLock<T>(
  sql: Sql,
  where: string,
  fn: (conn: Sql, lost: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await withAdvisoryLock(sql, LOCKS.send, fn, {
      where,
      hint: 'wait for it to finish: two at once could email the same person twice',
      // fn stops by itself on a lost session, once the ledger has what the relay accepted.
      graceMs: Infinity,
    });
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    throw connectionLostError(
      error,
      where,
      "every message sent is in the folder's sent.jsonl: rerun the same command to record them and send the rest, none twice",
    );
  }
}
