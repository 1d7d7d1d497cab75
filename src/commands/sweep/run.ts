import { parseDuration } from '../../core/duration.js';
import { ExitCode } from '../../core/errors.js';
import { defaultMigrationsDir } from '../../core/migrations/files.js';
import { assertMigrated } from '../../core/migrations/migrate.js';
import { sweep, type SweepCounts } from '../../core/ops/sweep.js';
import { defineRunner } from '../shared/define.js';
import type { SweepOptions } from './definition.js';

/** What a sweep counted and changed. */
export interface SweepResult extends SweepCounts {
  anonymizeAfter: string;
  windowSeconds: number;
  dryRun: boolean;
}

export default defineRunner<SweepOptions, SweepResult>({
  async run(options, ctx) {
    const windowMs = parseDuration(options.anonymizeAfter, '--anonymize-after');
    const db = await ctx.db();
    await assertMigrated(db.sql, defaultMigrationsDir, db.label);
    const windowSeconds = windowMs / 1000;
    const counts = await sweep(db.sql, { windowSeconds, dryRun: options.dryRun, where: db.label });
    return {
      anonymizeAfter: options.anonymizeAfter,
      windowSeconds,
      dryRun: options.dryRun,
      ...counts,
    };
  },
  exitCode: () => ExitCode.ok,
});
