import type { ISql, Sql } from 'postgres';
import { isConnectionError } from './connection-loss.js';

/** What runs queries: a pool, a reserved connection or a transaction. */
export type Queries = ISql;

/**
 * Runs `fn` in one transaction: committed when it returns, rolled back when it throws.
 * On a pool this is postgres.js `sql.begin`. A reserved connection (from `sql.reserve()`,
 * for instance the one holding an advisory lock) has no `begin` in postgres.js 3.4.9,
 * so there the transaction is spelled out on that connection: on the embedded database
 * (one connection) a `sql.begin` on the pool would wait forever for the reserved one.
 */
export async function withTransaction<T>(sql: Sql, fn: (tx: Queries) => Promise<T>): Promise<T> {
  if (typeof sql.begin === 'function') {
    return (await sql.begin((tx) => fn(tx))) as T;
  }
  await sql`begin`;
  try {
    const result = await fn(sql);
    await sql`commit`;
    return result;
  } catch (error) {
    // A lost session rolled back by itself; a query on its connection would never settle.
    if (!isConnectionError(error)) await sql`rollback`.catch(() => {});
    throw error;
  }
}
