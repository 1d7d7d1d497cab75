import type { Sql } from 'postgres';
import { withAdvisoryLock } from '../db/advisory-lock.js';
import { Interrupted, cancelOnAbort } from '../db/cancel.js';
import { LOCKS } from '../db/locks.js';
import { withTransaction, type Queries } from '../db/transaction.js';
import { UserError, errorMessage } from '../errors.js';
import type { MigrationFile } from './files.js';
import { splitStatements } from './split-sql.js';

/** Advisory lock key held while migrating (the registry's, under its historical name). */
export const MIGRATE_LOCK = LOCKS.migrate.key;

const TRACKING = 'beta_invites_schema_migrations';

/** An applied migration as recorded in the tracking table. */
export interface AppliedMigration {
  name: string;
  sha256: string;
  appliedAt: Date;
  durationMs: number;
}

/** Where the database stands against the migrations folder. */
export interface MigrationState {
  applied: AppliedMigration[];
  pending: MigrationFile[];
  /** Applied files whose content changed since. */
  drift: { name: string; recorded: string; current: string }[];
  /** Recorded migrations with no file in the folder any more. */
  missing: string[];
}

async function trackingExists(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ exists: boolean }[]>`
    select to_regclass(${'public.' + TRACKING}) is not null as exists`;
  return row?.exists === true;
}

export async function ensureTrackingTable(sql: Sql): Promise<void> {
  await sql`
    create table if not exists public.beta_invites_schema_migrations (
      name text primary key,
      sha256 text not null,
      applied_at timestamptz not null default now(),
      duration_ms integer not null
    )`;
}

/** Compares the folder with the tracking table, without creating anything. */
export async function migrationState(sql: Sql, files: MigrationFile[]): Promise<MigrationState> {
  const rows = (await trackingExists(sql))
    ? await sql<{ name: string; sha256: string; applied_at: Date; duration_ms: number }[]>`
        select name, sha256, applied_at, duration_ms
        from public.beta_invites_schema_migrations order by name`
    : [];
  const recorded = new Map(rows.map((row) => [row.name, row]));
  const byName = new Map(files.map((file) => [file.name, file]));
  return {
    applied: rows.map((row) => ({
      name: row.name,
      sha256: row.sha256,
      appliedAt: row.applied_at,
      durationMs: row.duration_ms,
    })),
    pending: files.filter((file) => !recorded.has(file.name)),
    drift: files
      .filter((file) => recorded.has(file.name) && recorded.get(file.name)?.sha256 !== file.sha256)
      .map((file) => ({
        name: file.name,
        recorded: recorded.get(file.name)?.sha256 ?? '',
        current: file.sha256,
      })),
    missing: rows.filter((row) => !byName.has(row.name)).map((row) => row.name),
  };
}

/** Refuses to go on when an applied file was edited. */
export function assertNoDrift(state: MigrationState): void {
  const first = state.drift[0];
  if (!first) return;
  const names = state.drift.map((d) => d.name).join(', ');
  throw new UserError(
    `migration drift: ${names} changed after being applied (recorded sha256 ${first.recorded.slice(0, 12)}…, file ${first.current.slice(0, 12)}…)`,
    { hint: 'restore the applied file and put the change in a new migration file' },
  );
}

/** Applies one file (in its own transaction unless it opts out) and records it. */
export async function applyMigration(
  conn: Sql,
  file: MigrationFile,
  options: { now: () => number; signal?: AbortSignal; cancelStatements?: boolean },
): Promise<number> {
  const { now, signal } = options;
  const started = now();
  const run = (on: Queries, statement: string) =>
    cancelOnAbort(on.unsafe(statement), options.cancelStatements ? signal : undefined);
  /** Stops between steps once interrupted, even where a statement could not be cancelled. */
  const checkpoint = () => {
    if (signal?.aborted) throw new Interrupted(signal.reason);
  };
  const record = async (on: Queries) => {
    const duration = Math.round(now() - started);
    await on`insert into public.beta_invites_schema_migrations (name, sha256, duration_ms)
               values (${file.name}, ${file.sha256}, ${duration})`;
    return duration;
  };
  if (!file.transactional) {
    // One statement at a time: PostgreSQL runs a multi-statement string in an implicit
    // transaction, which is exactly what this file opted out of.
    const statements = splitStatements(file.sql);
    for (const [i, statement] of statements.entries()) {
      try {
        checkpoint();
        await run(conn, statement);
      } catch (error) {
        throw new StatementError(error, i, statements.length);
      }
    }
    return record(conn);
  }
  // On the connection that holds the migrate lock (withTransaction spells the
  // transaction out there: a reserved connection has no sql.begin).
  return withTransaction(conn, async (tx) => {
    await run(tx, file.sql);
    checkpoint();
    const duration = await record(tx);
    checkpoint();
    return duration;
  });
}

/** A statement of a no-transaction file failed; the ones before it stay applied. */
export class StatementError extends Error {
  constructor(
    cause: unknown,
    readonly index: number,
    readonly total: number,
  ) {
    super(errorMessage(cause), { cause });
  }
}

/**
 * Runs `fn` holding the migrate lock on one reserved connection (see withAdvisoryLock):
 * refused at once while another migrate holds it, or, with `wait`, once it lets go.
 */
export async function withMigrateLock<T>(
  sql: Sql,
  options: { wait: boolean; where: string; signal?: AbortSignal },
  fn: (conn: Sql) => Promise<T>,
): Promise<T> {
  return withAdvisoryLock(sql, LOCKS.migrate, fn, {
    ...options,
    hint: 'wait for it to finish, or rerun with --wait',
    interruptedHint: 'nothing was applied',
  });
}

/** True when `public.users` (the host application's table) exists. */
export async function usersTableExists(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ exists: boolean }[]>`
    select to_regclass('public.users') is not null as exists`;
  return row?.exists === true;
}
