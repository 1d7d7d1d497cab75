import type { Sql } from 'postgres';
import { ExitCode, UserError, errorMessage } from '../errors.js';
import { Interrupted } from '../db/cancel.js';
import { readMigrationFiles, type MigrationFile } from './files.js';
import {
  applyMigration,
  assertNoDrift,
  ensureTrackingTable,
  migrationState,
  StatementError,
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
  /** Aborted on Ctrl-C: the file in progress is rolled back. */
  signal?: AbortSignal;
  /**
   * Whether Ctrl-C also cancels the running statement. Not on the embedded database: a
   * cancel request opens a second connection it cannot take, and its statements block
   * the process anyway; the file is then rolled back once the statement returns.
   */
  cancelStatements?: boolean;
}

/** Applies every pending migration under the advisory lock; a no-op when up to date. */
export async function migrate(sql: Sql, options: MigrateOptions): Promise<MigrateResult> {
  const files = readMigrationFiles(options.dir);
  if (!(await usersTableExists(sql))) {
    throw new UserError(`table public.users is missing on ${options.where}`, {
      hint: "run the host application's migrations first (beta_invites.sent_by references public.users), then beta-invites migrate",
    });
  }
  if (options.dryRun) {
    const state = await migrationState(sql, files);
    assertNoDrift(state);
    return { applied: [], wouldApply: state.pending, alreadyApplied: state.applied.length };
  }
  return withMigrateLock(sql, options, async (conn) => {
    await ensureTrackingTable(conn);
    const state = await migrationState(conn, files);
    assertNoDrift(state);
    const applied: MigrateResult['applied'] = [];
    for (const file of state.pending) {
      try {
        const durationMs = await applyMigration(conn, file, options);
        applied.push({ name: file.name, durationMs });
      } catch (error) {
        throw failed(file, error, applied.length);
      }
    }
    return { applied, wouldApply: [], alreadyApplied: state.applied.length };
  });
}

/** The one-line error of a migration file that failed; nothing of it is recorded. */
function failed(file: MigrationFile, error: unknown, appliedBefore: number): UserError {
  const earlier = appliedBefore > 0 ? `; the ${appliedBefore} file(s) before it were applied` : '';
  if (error instanceof Interrupted) {
    return new UserError(`migration ${file.name} was interrupted and rolled back`, {
      exitCode: ExitCode.interrupted,
      hint: `rerun beta-invites migrate to apply it${earlier}`,
    });
  }
  if (error instanceof StatementError) {
    const kept =
      error.index === 0
        ? 'nothing of it was applied'
        : error.index === 1
          ? 'statement 1 stays applied'
          : `statements 1-${error.index} stay applied`;
    if (error.cause instanceof Interrupted) {
      return new UserError(
        `migration ${file.name} was interrupted at statement ${error.index + 1} of ${error.total} (no-transaction file: ${kept})`,
        {
          exitCode: ExitCode.interrupted,
          hint: `rerun beta-invites migrate: it runs the whole file again${earlier}`,
        },
      );
    }
    return new UserError(
      `migration ${file.name} failed at statement ${error.index + 1} of ${error.total} (no-transaction file: ${kept}): ${error.message}`,
      {
        hint: `fix the file and rerun beta-invites migrate: it runs the whole file again, so its statements must be rerunnable (IF NOT EXISTS)${earlier}`,
      },
    );
  }
  return new UserError(
    `migration ${file.name} failed and was rolled back: ${errorMessage(error)}`,
    { hint: `fix the file and rerun beta-invites migrate${earlier}` },
  );
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
      { hint: 'run beta-invites migrate first' },
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
