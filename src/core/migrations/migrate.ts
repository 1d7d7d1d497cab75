import type { Sql } from 'postgres';
import { UserError } from '../errors.js';
import { readMigrationFiles, type MigrationFile } from './files.js';
import {
  applyMigration,
  assertNoDrift,
  ensureTrackingTable,
  migrationState,
  usersTableExists,
  withMigrateLock,
  type MigrationState,
} from './runner.js';

/** What one `migrate` run did (or, with dryRun, would do). */
export interface MigrateResult {
  applied: { name: string; durationMs: number }[];
  wouldApply: MigrationFile[];
  alreadyApplied: number;
}

export interface MigrateOptions {
  dir: string;
  dryRun: boolean;
  wait: boolean;
  /** How messages name the database. */
  where: string;
  /** Monotonic milliseconds, for durations. */
  now: () => number;
}

/** Applies every pending migration under the advisory lock; a no-op when up to date. */
export async function migrate(sql: Sql, options: MigrateOptions): Promise<MigrateResult> {
  const files = readMigrationFiles(options.dir);
  if (!(await usersTableExists(sql))) {
    throw new UserError(
      `table public.users is missing on ${options.where}`,
      1,
      "run the host application's migrations first (beta_invites.sent_by references public.users), then beta-invites migrate",
    );
  }
  if (options.dryRun) {
    const state = await migrationState(sql, files);
    assertNoDrift(state);
    return { applied: [], wouldApply: state.pending, alreadyApplied: state.applied.length };
  }
  return withMigrateLock(sql, options, async () => {
    await ensureTrackingTable(sql);
    const state = await migrationState(sql, files);
    assertNoDrift(state);
    const applied: MigrateResult['applied'] = [];
    for (const file of state.pending) {
      try {
        applied.push({ name: file.name, durationMs: await applyMigration(sql, file, options.now) });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new UserError(
          `migration ${file.name} failed and was rolled back: ${reason}`,
          1,
          applied.length > 0 ? `${applied.length} earlier file(s) were applied` : undefined,
        );
      }
    }
    return { applied, wouldApply: [], alreadyApplied: state.applied.length };
  });
}

/** The state, for `--status` and for commands that need an up-to-date schema. */
export async function readMigrationState(sql: Sql, dir: string): Promise<MigrationState> {
  return migrationState(sql, readMigrationFiles(dir));
}

/** Refuses to go on while migrations are pending or drifted (render, send, …). */
export async function assertMigrated(sql: Sql, dir: string, where: string): Promise<void> {
  const state = await readMigrationState(sql, dir);
  assertNoDrift(state);
  if (state.pending.length > 0) {
    throw new UserError(
      `${state.pending.length} migration(s) pending on ${where}: ${state.pending.map((f) => f.name).join(', ')}`,
      1,
      'run beta-invites migrate first',
    );
  }
}

/** The embedded database's stand-in for the host application's `users` table. */
export async function ensureStandInUsers(sql: Sql): Promise<void> {
  await sql`
    create table if not exists public.users (
      id uuid primary key default gen_random_uuid(),
      email varchar(320) unique not null,
      created_at timestamptz not null default now()
    )`;
}
