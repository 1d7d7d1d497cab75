import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { ExitCode } from '../core/errors.js';
import { defaultMigrationsDir } from '../core/migrations/files.js';
import { assertMigrated } from '../core/migrations/migrate.js';
import { sweep, type SweepCounts } from '../core/ops/sweep.js';
import { defineCommand } from './command.js';
import { colors, num } from './style.js';

const schema = z
  .object({
    anonymizeAfter: z.string().default('30d'),
    dryRun: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

/** What a sweep counted and changed. */
export interface SweepResult extends SweepCounts {
  anonymizeAfter: string;
  windowSeconds: number;
  dryRun: boolean;
}

export default defineCommand({
  schema,
  async run(options, ctx): Promise<SweepResult> {
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
  print(result, options, ctx) {
    const { out } = ctx;
    if (options.json) return out.json(result);
    const c = colors(ctx);
    const rows: [string, number][] = [
      ['expired, never redeemed', result.expired],
      [result.dryRun ? 'would be anonymised now' : 'anonymised now', result.anonymized],
      [`kept until ${result.anonymizeAfter} after expiry`, result.waiting],
      ['anonymised by an earlier sweep', result.alreadyAnonymized],
    ];
    out.line(c.bold(`Sweep (anonymise addresses ${result.anonymizeAfter} after expiry):`));
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, n] of rows) out.line(`  ${label.padEnd(width)}  ${num(n).padStart(7)}`);
    if (result.dryRun) out.line(c.yellow('Dry run: nothing was changed.'));
  },
  exitCode() {
    return ExitCode.ok;
  },
});
