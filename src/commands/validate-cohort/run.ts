import type { CohortReport } from '../../core/cohort/validate.js';
import { validateCohort } from '../../core/cohort/validate.js';
import { usersFinder } from '../../core/cohort/users.js';
import { ExitCode } from '../../core/errors.js';
import { defineRunner } from '../shared/define.js';
import type { ValidateOptions } from './definition.js';

/** The report, and whether soft checks were forced (`--force` or `FORCE=1`). */
export type ValidateResult = CohortReport & { forced: boolean };

export default defineRunner<ValidateOptions, ValidateResult>({
  async run(options, ctx) {
    const report = await validateCohort(options.file, {
      ...options,
      keep: options.json || options.format === 'json' ? Infinity : 20,
      findUsers: options.checkUsers ? usersFinder(ctx.db) : undefined,
    });
    return { ...report, forced: options.force };
  },
  exitCode(report) {
    if (report.verdict === 'blocked') return ExitCode.blocked;
    if (report.verdict === 'warn' && !report.forced) return ExitCode.warn;
    return ExitCode.ok;
  },
});
