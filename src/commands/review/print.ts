import path from 'node:path';
import type { Context } from '../../core/context.js';
import { describeApproval } from '../../core/review/approval.js';
import type { Printer } from '../shared/define.js';
import { colors, num } from '../shared/style.js';
import type { ReviewOptions } from './definition.js';
import type { ReviewOutcome } from './run.js';

type Built = Extract<ReviewOutcome, { kind: 'built' }>;

function printBuilt(outcome: Built, flags: ReviewOptions, ctx: Pick<Context, 'out' | 'settings'>) {
  const { out } = ctx;
  const c = colors(ctx);
  const { summary, variants, samples, index, preview } = outcome.review;
  const page = path.join(flags.dir, 'review', 'index.html');
  out.line(c.bold(`Review page: ${page}`));
  out.line(
    `  ${num(summary.total)} invitation(s), ${summary.cohorts.length} cohort(s), ` +
      `${variants.length} variant(s), ${samples.length} sample(s)`,
  );
  if (preview)
    out.line(c.yellow('  rendered with --dry-run: PREVIEW codes, send refuses this folder'));
  if (summary.warnings.length === 0) out.line(c.green('  no warnings'));
  else out.line(c.yellow(`  ${summary.warnings.length} warning(s):`));
  for (const w of summary.warnings) out.line(`    - ${w.message}`);
  const approval =
    outcome.approval.state === 'unapproved'
      ? `not approved yet; after reading the page: beta-invites review ${flags.dir} --approve --by NAME`
      : describeApproval(outcome.approval, flags.dir);
  out.line(`  approval: ${approval}`);
  const opened = outcome.opened;
  if (opened && 'with' in opened) out.line(`  opening it with ${opened.with}`);
  if (opened && 'problem' in opened) out.error(`beta-invites: ${opened.problem}`);
  if (!opened) out.line(`  open it in a browser: ${index}`);
}

/** What `review` did, as text, or one JSON document with --json. */
const printReview: Printer<ReviewOptions, ReviewOutcome> = (outcome, flags, ctx) => {
  if (flags.json) return ctx.out.json(outcome);
  if (outcome.kind === 'built') return printBuilt(outcome, flags, ctx);
  const { approval } = outcome;
  ctx.out.line(
    `Approved ${flags.dir} by ${approval.by} at ${approval.at} (manifest.jsonl sha256 ${approval.manifestSha256.slice(0, 12)}…)`,
  );
  ctx.out.line(
    `  send checks it with --require-approval: beta-invites send ${flags.dir} --require-approval`,
  );
};

export default printReview;
