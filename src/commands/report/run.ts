import { ExitCode, UsageError } from '../../core/errors.js';
import { defaultMigrationsDir } from '../../core/migrations/files.js';
import { assertMigrated } from '../../core/migrations/migrate.js';
import { attributionReport, type ReportRow } from '../../core/ops/report.js';
import { parseSince } from '../../core/ops/since.js';
import { defineRunner } from '../shared/define.js';
import type { ReportOptions } from './definition.js';

/** The attribution report as printed and as `--format json` emits it. */
export interface ReportResult {
  /** The instant states were judged at (the run's clock). */
  asOf: string;
  since: string | null;
  cohortPrefix: string | null;
  cohorts: ReportRow[];
  total: ReportRow;
}

/** `--json` is `--format json`; asking for both json and another format is a mistake. */
export function reportFormat(
  options: Pick<ReportOptions, 'json' | 'format'>,
): 'table' | 'csv' | 'json' {
  if (options.json && options.format && options.format !== 'json') {
    throw new UsageError(`--json and --format ${options.format} disagree`, 'give one of them');
  }
  return options.json ? 'json' : (options.format ?? 'table');
}

export default defineRunner<ReportOptions, ReportResult>({
  async run(options, ctx) {
    reportFormat(options);
    const since = options.since === undefined ? undefined : parseSince(options.since, '--since');
    const asOf = ctx.clock();
    const db = await ctx.db();
    await assertMigrated(db.sql, defaultMigrationsDir, db.label);
    const report = await attributionReport(db.sql, { asOf, since, cohortPrefix: options.cohort });
    return {
      asOf: asOf.toISOString(),
      since: since?.toISOString() ?? null,
      cohortPrefix: options.cohort ?? null,
      ...report,
    };
  },
  exitCode: () => ExitCode.ok,
});
