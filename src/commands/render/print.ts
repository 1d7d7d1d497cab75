import path from 'node:path';
import { OUTDIR } from '../../core/outdir/files.js';
import { printCohortReport } from '../shared/cohort-report.js';
import type { Printer } from '../shared/define.js';
import { colors, num } from '../shared/style.js';
import type { RenderOptions } from './definition.js';
import type { RenderResult } from './run.js';

/** The end of a render: counts, where the files are, and the next command. */
const printRender: Printer<RenderOptions, RenderResult> = (result, options, ctx) => {
  const { out } = ctx;
  if (options.json) return out.json(result);
  const c = colors(ctx);
  if (result.kind === 'invalid') {
    printCohortReport(result.report, ctx, result.forced);
    out.line(
      result.report.verdict === 'blocked'
        ? c.red('Nothing was rendered and nothing was written to the database.')
        : c.yellow(
            'Nothing was rendered: rerun with --force (or FORCE=1) to render this cohort anyway.',
          ),
    );
    return;
  }
  for (const warning of result.warnings) out.error(`warning: ${warning}`);
  const dir = result.out;
  const what = result.dryRun
    ? `Preview: ${num(result.rendered)} invitation(s) with PREVIEW codes in ${dir}/ (dry run: no database, cannot be sent).`
    : `Rendered ${num(result.rendered)} invitation(s) into ${dir}/: ${num(result.created)} new invite(s), ${num(result.reused)} reused.`;
  out.line(c.bold(what));
  if (result.failed > 0) {
    out.line(
      c.red(
        `${num(result.failed)} recipient(s) failed; they are listed with the reason in ${path.join(dir, OUTDIR.failed)}.`,
      ),
    );
    if (result.rerun) out.line(`  after fixing the cause: ${result.rerun}`);
  }
  if (result.interrupted) {
    out.line(
      c.yellow(
        'Interrupted: rerun the same command to finish (existing invites are reused, not duplicated).',
      ),
    );
  }
  out.line(`  review:   the .eml files in ${dir}/ (open one in a mail client)`);
  out.line(`  manifest: ${path.join(dir, OUTDIR.manifest)}`);
  if (!result.dryRun && result.rendered > 0) {
    out.line(`  next:     beta-invites send ${dir}   (a dry run; add --confirm to send)`);
  }
};

export default printRender;
