import type { Printer } from '../shared/define.js';
import type { ValidateOptions } from './definition.js';
import { printCohortReport, printGithub } from '../shared/cohort-report.js';
import type { ValidateResult } from './run.js';

/** The report as text, GitHub annotations, or one JSON document. */
const print: Printer<ValidateOptions, ValidateResult> = (report, options, ctx) => {
  if (options.json || options.format === 'json') ctx.out.json(report);
  else if (options.format === 'github') printGithub(report, ctx.out);
  else printCohortReport(report, ctx, report.forced);
};

export default print;
