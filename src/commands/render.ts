import path from 'node:path';
import { z } from 'zod';
import type { CohortReport } from '../core/cohort/validate.js';
import { validateCohort } from '../core/cohort/validate.js';
import type { Context } from '../core/context.js';
import { connectionLostError, isConnectionError } from '../core/db/connection-loss.js';
import { parseDuration } from '../core/duration.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { defaultMigrationsDir } from '../core/migrations/files.js';
import { assertMigrated } from '../core/migrations/migrate.js';
import { resolveSentBy } from '../core/render/invites.js';
import { checkOutDir, prepareOutDir } from '../core/render/outdir.js';
import { renderCohort, type RenderStats } from '../core/render/render.js';
import { checkSender } from '../core/render/sender.js';
import { defaultTemplateDir, loadTemplates } from '../core/render/templates.js';
import { defineCommand } from './command.js';
import { count } from './options.js';
import { printRender } from './render-print.js';
import { progressBar } from './progress.js';

const schema = z
  .object({
    file: z.string().min(1),
    out: z.string().optional(),
    template: z.string().optional(),
    expiresIn: z.string().default('30d'),
    sentBy: z.string().optional(),
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
    batchSize: count.default(500),
    dryRun: z.boolean().default(false),
    force: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

type Options = z.infer<typeof schema>;

/** What `render` reports: the validation that stopped it, or what it rendered. */
export type RenderResult =
  | { kind: 'invalid'; report: CohortReport; forced: boolean }
  | ({
      kind: 'rendered';
      file: string;
      out: string;
      dryRun: boolean;
      warnings: string[];
    } & RenderStats);

function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('fr-FR', { timeZone });
    return timeZone;
  } catch {
    throw new UsageError(
      `--time-zone: unknown time zone "${timeZone}"`,
      'use an IANA name such as Europe/Paris',
    );
  }
}

async function run(options: Options, ctx: Context): Promise<RenderResult> {
  const { settings } = ctx;
  const sender = checkSender({
    signupUrl: options.signupUrl ?? settings.signupUrl,
    feedbackUrl: options.feedbackUrl ?? settings.feedbackUrl,
    from: options.from ?? settings.from,
    replyTo: options.replyTo ?? settings.replyTo,
  });
  const expiresInMs = parseDuration(options.expiresIn, '--expires-in');
  const timeZone = checkTimeZone(options.timeZone);
  const forced = options.force || settings.force;
  const report = await validateCohort(options.file, { ...options, checkUsers: false, keep: 20 });
  if (report.verdict === 'blocked' || (report.verdict === 'warn' && !forced)) {
    return { kind: 'invalid', report, forced };
  }
  const extras = report.stats.columns.filter((c) => c !== 'email' && c !== 'cohort');
  const templateDir = options.template
    ? path.resolve(ctx.cwd, options.template)
    : defaultTemplateDir;
  const { templates, warnings } = loadTemplates(templateDir, extras);
  const out = path.resolve(ctx.cwd, options.out ?? `out-${ctx.clock().toISOString().slice(0, 10)}`);
  checkOutDir(out);
  let invites;
  let where = '';
  if (!options.dryRun) {
    const db = await ctx.db();
    where = db.label;
    await assertMigrated(db.sql, defaultMigrationsDir, db.label);
    const sentBy = await resolveSentBy(db.sql, options.sentBy);
    invites = { sql: db.sql, sentBy, expiresInSeconds: expiresInMs / 1000 };
  }
  prepareOutDir(out);
  const progress = progressBar(ctx.out, report.stats.rows, 'render');
  try {
    const stats = await renderCohort(
      {
        file: options.file,
        out,
        total: report.stats.rows,
        compose: { sender, templates, timeZone },
        invites,
        preview: { now: ctx.clock(), expiresInMs },
        batchSize: Math.max(1, options.batchSize),
        onProgress: (done, total) => progress.update(done, total),
      },
      ctx,
    );
    return {
      kind: 'rendered',
      file: options.file,
      out: path.relative(ctx.cwd, out) || '.',
      dryRun: options.dryRun,
      warnings,
      ...stats,
    };
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    throw connectionLostError(
      error,
      where,
      'the invites committed before it are kept; rerun the same command to finish (they are reused, not duplicated)',
    );
  } finally {
    progress.stop();
  }
}

export default defineCommand({
  schema,
  run,
  print: printRender,
  handlesInterrupt: true,
  exitCode(result) {
    if (result.kind === 'invalid')
      return result.report.verdict === 'blocked' ? ExitCode.blocked : ExitCode.warn;
    if (result.interrupted) return ExitCode.interrupted;
    if (result.failed > 0) return result.rendered === 0 ? ExitCode.blocked : ExitCode.warn;
    return ExitCode.ok;
  },
});
