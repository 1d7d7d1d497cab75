import path from 'node:path';
import { z } from 'zod';
import type { CohortReport } from '../core/cohort/validate.js';
import type { Context } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { DEFAULT_CONFIG } from '../core/monitor/config.js';
import { verdictExitCode, verdictOf, type Verdict } from '../core/monitor/verdict.js';
import { checkDatabase } from '../core/ops/preflight/database-checks.js';
import { cohortItem, outDirItem, templatesItem } from '../core/ops/preflight/content-checks.js';
import { checkMonitor, transportItem } from '../core/ops/preflight/delivery-checks.js';
import { attempt, REMINDERS, type PreflightItem } from '../core/ops/preflight/items.js';
import { defaultTemplateDir } from '../core/render/templates.js';
import { chooseTransport } from '../core/transports/choose.js';
import { defineCommand } from './command.js';
import { count } from './options.js';
import { printPreflight } from './preflight-print.js';
import { runValidation } from './validate-cohort.js';

const schema = z
  .object({
    file: z.string().min(1),
    out: z.string().optional(),
    config: z.string().optional(),
    smtp: z.string().optional(),
    sendCmd: z.string().optional(),
    template: z.string().optional(),
    signupUrl: z.string().optional(),
    feedbackUrl: z.string().optional(),
    from: z.string().optional(),
    replyTo: z.string().optional(),
    timeZone: z.string().default('Europe/Paris'),
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
  })
  .strict();

type Options = z.infer<typeof schema>;

/** The machine-checkable part of the T-72h checklist, and what is left to do by hand. */
export interface PreflightResult {
  verdict: Verdict;
  checkedAt: string;
  file: string;
  items: PreflightItem[];
  reminders: readonly string[];
}

async function cohortCheck(options: Options, ctx: Context): Promise<[PreflightItem, string[]]> {
  let report: CohortReport | undefined;
  const line = await attempt('cohort', 'cohort', async () => {
    report = await runValidation({ ...options, json: false, format: 'text' }, ctx);
    return cohortItem(report, options.force || ctx.settings.force);
  });
  const extras = (report?.stats.columns ?? []).filter((c) => c !== 'email' && c !== 'cohort');
  return [line, extras];
}

async function run(options: Options, ctx: Context): Promise<PreflightResult> {
  const { settings } = ctx;
  const transport = () => chooseTransport(options, settings);
  try {
    transport();
  } catch (error) {
    if (error instanceof UsageError) throw error; // two flags at once: a usage error
  }
  const checkedAt = ctx.clock();
  const items = await checkDatabase(() => ctx.db());
  const [cohort, extras] = await cohortCheck(options, ctx);
  items.push(cohort);
  items.push(
    await templatesItem({
      sender: {
        signupUrl: options.signupUrl ?? settings.signupUrl,
        feedbackUrl: options.feedbackUrl ?? settings.feedbackUrl,
        from: options.from ?? settings.from,
        replyTo: options.replyTo ?? settings.replyTo,
      },
      templateDir: options.template ? path.resolve(ctx.cwd, options.template) : defaultTemplateDir,
      extras,
      timeZone: options.timeZone,
      now: checkedAt,
    }),
  );
  if (options.out !== undefined)
    items.push(await outDirItem(path.resolve(ctx.cwd, options.out), ctx.cwd));
  items.push(await transportItem(transport, { searchPath: settings.searchPath, cwd: ctx.cwd }));
  items.push(...(await checkMonitor({ file: options.config ?? DEFAULT_CONFIG, ctx })));
  return {
    verdict: verdictOf(items.map((i) => i.state)),
    checkedAt: checkedAt.toISOString(),
    file: options.file,
    items,
    reminders: REMINDERS,
  };
}

export default defineCommand({
  schema,
  run,
  print: printPreflight,
  exitCode: (result) => verdictExitCode(result.verdict),
});
