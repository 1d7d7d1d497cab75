import path from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { defaultMigrationsDir } from '../../core/migrations/files.js';
import { migrate, readMigrationState } from '../../core/migrations/migrate.js';
import { defineRunner } from '../shared/define.js';
import type { MigrateOptions } from './definition.js';

/** What `migrate` did, or what it would do. */
export type MigrateResult =
  | {
      mode: 'status';
      database: string;
      applied: { name: string; appliedAt: string; durationMs: number }[];
      pending: string[];
      drift: string[];
      /** Recorded as applied, but no longer in the folder. */
      missing: string[];
    }
  | {
      mode: 'dry-run';
      database: string;
      pending: { name: string; transactional: boolean; sql: string }[];
    }
  | {
      mode: 'apply';
      database: string;
      applied: { name: string; durationMs: number }[];
      alreadyApplied: number;
    };

export default defineRunner<MigrateOptions, MigrateResult>({
  async run(options, ctx): Promise<MigrateResult> {
    const dir = options.dir ? path.resolve(ctx.cwd, options.dir) : defaultMigrationsDir;
    const db = await ctx.db();
    if (options.status) {
      const state = await readMigrationState(db.sql, dir);
      return {
        mode: 'status',
        database: db.label,
        applied: state.applied.map((a) => ({
          name: a.name,
          appliedAt: a.appliedAt.toISOString(),
          durationMs: a.durationMs,
        })),
        pending: state.pending.map((p) => p.name),
        drift: state.drift.map((d) => d.name),
        missing: state.missing,
      };
    }
    const common = {
      dir,
      wait: options.wait,
      where: db.label,
      now: () => performance.now(),
      signal: ctx.signal,
      cancelStatements: db.kind === 'server',
    };
    if (options.dryRun) {
      const result = await migrate(db.sql, { ...common, dryRun: true });
      return {
        mode: 'dry-run',
        database: db.label,
        pending: result.wouldApply.map((f) => ({
          name: f.name,
          transactional: f.transactional,
          sql: f.sql,
        })),
      };
    }
    const result = await migrate(db.sql, { ...common, dryRun: false });
    return {
      mode: 'apply',
      database: db.label,
      applied: result.applied,
      alreadyApplied: result.alreadyApplied,
    };
  },
  exitCode(result) {
    if (result.mode === 'status') {
      if (result.drift.length > 0) return ExitCode.blocked;
      return result.pending.length > 0 ? ExitCode.warn : ExitCode.ok;
    }
    return ExitCode.ok;
  },
});
