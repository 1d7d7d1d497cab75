import os from 'node:os';
import path from 'node:path';
import type { CohortReport } from '../../core/cohort/validate.js';
import { validateCohort } from '../../core/cohort/validate.js';
import type { Context } from '../../core/context.js';
import { connectionLostError, isConnectionError } from '../../core/db/connection-loss.js';
import { parseDuration } from '../../core/duration.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { requireMigrated } from '../../core/db/require-migrated.js';
import { OUTDIR } from '../../core/outdir/files.js';
import { resolveSentBy } from '../../core/render/sent-by.js';
import { checkOutDir, prepareOutDir } from '../../core/render/outdir.js';
import { renderCohort, type RenderPlan, type RenderStats } from '../../core/render/render.js';
import { checkSender } from '../../core/render/sender.js';
import { defaultTemplateDir, loadTemplates } from '../../core/render/templates.js';
import { defineRunner, type Invocation } from '../shared/define.js';
import { progressBar } from '../shared/progress.js';
import type { RenderOptions } from './definition.js';

/** What `render` reports: the validation that stopped it, or what it rendered. */
export type RenderResult =
  | { kind: 'invalid'; report: CohortReport; forced: boolean }
  | ({
      kind: 'rendered';
      file: string;
      out: string;
      dryRun: boolean;
      warnings: string[];
      /** The command that renders exactly the failed rows again, when some failed. */
      rerun: string | undefined;
    } & RenderStats);

const LOST_HINT =
  'the invites committed before it are kept; rerun the same command to finish (they are reused, not duplicated)';

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

/** The database side of a real render: migrated, the operator known. */
async function openInvites(
  options: RenderOptions,
  ctx: Pick<Context, 'db'>,
  expiresInMs: number,
): Promise<{ invites: NonNullable<RenderPlan['invites']>; where: string }> {
  const db = await ctx.db();
  await requireMigrated(db);
  const sentBy = await resolveSentBy(db.sql, options.sentBy);
  return {
    invites: { sql: db.sql, sentBy, expiresInSeconds: expiresInMs / 1000 },
    where: db.label,
  };
}

async function run(
  options: RenderOptions,
  ctx: Context,
  invocation: Invocation<RenderOptions>,
): Promise<RenderResult> {
  const sender = checkSender(options);
  const expiresInMs = parseDuration(options.expiresIn, '--expires-in');
  const timeZone = checkTimeZone(options.timeZone);
  const report = await validateCohort(options.file, { ...options, checkUsers: false, keep: 20 });
  if (report.verdict === 'blocked' || (report.verdict === 'warn' && !options.force)) {
    return { kind: 'invalid', report, forced: options.force };
  }
  const extras = report.stats.columns.filter((c) => c !== 'email' && c !== 'cohort');
  const templateDir = options.template
    ? path.resolve(ctx.cwd, options.template)
    : defaultTemplateDir;
  const { templates, sources, warnings } = loadTemplates(templateDir, extras);
  const out = path.resolve(ctx.cwd, options.out ?? `out-${ctx.clock().toISOString().slice(0, 10)}`);
  checkOutDir(out);
  const db = options.dryRun ? undefined : await openInvites(options, ctx, expiresInMs);
  prepareOutDir(out, ctx.clock);
  const progress = progressBar(ctx.out, report.stats.rows, 'render');
  try {
    const stats = await renderCohort(
      {
        file: options.file,
        out,
        total: report.stats.rows,
        compose: { sender, templates, timeZone },
        invites: db?.invites,
        preview: { now: ctx.clock(), expiresInMs },
        batchSize: options.batchSize,
        jobs: options.jobs ?? Math.min(256, os.availableParallelism()),
        sources,
        onProgress: (done, total) => progress.update(done, total),
      },
      ctx,
    );
    const dir = path.relative(ctx.cwd, out) || '.';
    const failed = path.join(dir, OUTDIR.failed);
    const rerun =
      stats.failed > 0
        ? invocation.repeat({ args: [failed], drop: ['out'], extra: ['--out', dir] })
        : undefined;
    return {
      kind: 'rendered',
      file: options.file,
      out: dir,
      dryRun: options.dryRun,
      warnings,
      rerun,
      ...stats,
    };
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    throw connectionLostError(error, db?.where ?? '', LOST_HINT);
  } finally {
    progress.stop();
  }
}

export default defineRunner<RenderOptions, RenderResult>({
  run,
  handlesInterrupt: true,
  exitCode(result) {
    if (result.kind === 'invalid')
      return result.report.verdict === 'blocked' ? ExitCode.blocked : ExitCode.warn;
    if (result.interrupted) return ExitCode.interrupted;
    if (result.failed > 0) return result.rendered === 0 ? ExitCode.blocked : ExitCode.warn;
    return ExitCode.ok;
  },
});
