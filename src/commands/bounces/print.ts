import type { BouncesReport } from '../../core/bounces/read-bounces.js';
import type { Printer } from '../shared/define.js';
import { colors, num } from '../shared/style.js';
import type { BouncesOptions } from './definition.js';

/** Counts, then the first problems: each with where it is and its Message-ID. */
const print: Printer<BouncesOptions, BouncesReport> = (report, flags, ctx) => {
  const { out } = ctx;
  if (flags.json) return out.json(report);
  const c = colors(ctx);
  const k = report.counts;
  const rows: [string, number][] = [
    ['read', k.read],
    [report.dryRun ? 'would be recorded' : 'recorded', k.recorded],
    ['already recorded', k.alreadyRecorded],
    ['hard (5.x.x)', k.hard],
    ['soft (4.x.x)', k.soft],
    ['unknown (no status)', k.unknown],
    ['not a bounce', k.notBounce],
    ['invite not found', k.inviteNotFound],
    ['unreadable', k.unreadable],
  ];
  out.line(c.bold(`Bounces in ${report.source}:`));
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, n] of rows) out.line(`  ${label.padEnd(width)}  ${num(n).padStart(7)}`);
  if (report.problemCount > 0) {
    out.line('');
    out.line(c.yellow(`${num(report.problemCount)} to look at:`));
    for (const p of report.problems) {
      const id = p.messageId === null ? '' : ` ${p.messageId}`;
      out.line(`  ${p.where}${c.dim(id)}: ${p.problem}`);
    }
    const more = report.problemCount - report.problems.length;
    if (more > 0) out.line(`  … and ${num(more)} more`);
  }
  if (report.dryRun) out.line(c.yellow('Dry run: nothing was recorded.'));
};

export default print;
