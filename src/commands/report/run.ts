import path from 'node:path';
import { permanentSendFailures } from '../../core/bounces/send-failures.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { requireMigrated } from '../../core/db/require-migrated.js';
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
  /** Render folders whose send-failed.jsonl counted in `failed`. */
  outDirs: string[];
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
    await requireMigrated(db);
    const outDirs = options.out === undefined ? [] : [options.out];
    const sendFailed = permanentSendFailures(outDirs.map((d) => path.resolve(ctx.cwd, d)));
    const report = await attributionReport(db.sql, {
      ...{ asOf, since, cohortPrefix: options.cohort, sendFailed },
    });
    return {
      asOf: asOf.toISOString(),
      since: since?.toISOString() ?? null,
      cohortPrefix: options.cohort ?? null,
      outDirs,
      ...report,
    };
  },
  exitCode: () => ExitCode.ok,
});
