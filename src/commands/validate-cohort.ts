import { z } from 'zod';
import { validateCohort, type CohortReport } from '../core/cohort/validate.js';
import { ExitCode } from '../core/errors.js';
import type { Context } from '../core/context.js';
import { defineCommand } from './command.js';
import { count, format } from './options.js';
import { printCohortReport, printGithub } from './validate-cohort-print.js';

const schema = z
  .object({
    file: z.string().min(1),
    minTotal: count.default(50),
    minCreators: count.default(5),
    minLabels: count.default(3),
    labels: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      )
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

export default defineCommand({
  schema,
  run: runValidation,
  print(report, options, ctx) {
    if (options.json || options.format === 'json') ctx.out.json(report);
    else if (options.format === 'github') printGithub(report, ctx.out);
    else printCohortReport(report, ctx, options.force || ctx.settings.force);
  },
  exitCode(report, options) {
    if (report.verdict === 'blocked') return ExitCode.blocked;
    if (report.verdict === 'warn' && !options.force) return ExitCode.warn;
    return ExitCode.ok;
  },
});
