import { z } from 'zod';
import { validateCohort, type CohortReport } from '../core/cohort/validate.js';
import { ExitCode } from '../core/errors.js';
import type { Context } from '../core/context.js';
import { defineCommand } from './command.js';
import { count, format } from './options.js';
import { printCohortReport, printGithub } from './validate-cohort-print.js';

/** A threshold flag: plain decimal digits only (`count` alone reads "" as 0, "0x10" as 16). */
const threshold = (fallback: number) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' && !/^\s*-?\d+\s*$/.test(value) ? Number.NaN : value),
      count,
    )
    .default(fallback);

const schema = z
  .object({
    file: z.string().min(1),
    minTotal: threshold(50),
    minCreators: threshold(5),
    minLabels: threshold(3),
    labels: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      )
      .refine((labels) => labels.length > 0, { error: 'expected a comma-separated list of labels' })
      .optional(),
    checkUsers: z.boolean().default(false),
    force: z.boolean().default(false),
    json: z.boolean().default(false),
    format,
  })
  .strict();

type Options = z.infer<typeof schema>;

/** Looks up the cohort's emails in `public.users`, in a few large queries. */
async function usersLookup(ctx: Pick<Context, 'db'>, emails: string[]): Promise<Set<string>> {
  const { sql } = await ctx.db();
  const found = new Set<string>();
  const chunk = 50_000;
  for (let i = 0; i < emails.length; i += chunk) {
    const rows = await sql<{ email: string }[]>`
      select lower(email) as email from public.users
      where lower(email) = any(${emails.slice(i, i + chunk)}::text[])`;
    for (const row of rows) found.add(row.email);
  }
  return found;
}

export function runValidation(options: Options, ctx: Context): Promise<CohortReport> {
  return validateCohort(options.file, {
    ...options,
    keep: options.json || options.format === 'json' ? Infinity : 20,
    findUsers: options.checkUsers ? (emails) => usersLookup(ctx, emails) : undefined,
  });
}

/** The report, and whether soft checks were forced (`--force` or `FORCE=1`). */
type Result = CohortReport & { forced: boolean };

export default defineCommand({
  schema,
  async run(options, ctx): Promise<Result> {
    const report = await runValidation(options, ctx);
    return { ...report, forced: options.force || ctx.settings.force };
  },
  print(report, options, ctx) {
    if (options.json || options.format === 'json') ctx.out.json(report);
    else if (options.format === 'github') printGithub(report, ctx.out);
    else printCohortReport(report, ctx, report.forced);
  },
  exitCode(report) {
    if (report.verdict === 'blocked') return ExitCode.blocked;
    if (report.verdict === 'warn' && !report.forced) return ExitCode.warn;
    return ExitCode.ok;
  },
});
