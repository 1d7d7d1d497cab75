import type { Printer } from '../shared/define.js';
import { colors, num } from '../shared/style.js';
import type { SweepOptions } from './definition.js';
import type { SweepResult } from './run.js';

/** The counts, and whether anything was changed. */
const print: Printer<SweepOptions, SweepResult> = (result, options, ctx) => {
  const { out } = ctx;
  if (options.json) return out.json(result);
  const c = colors(ctx);
  const rows: [string, number][] = [
    ['expired, never redeemed', result.expired],
    [result.dryRun ? 'would be anonymised now' : 'anonymised now', result.anonymized],
    [`kept until ${result.anonymizeAfter} after expiry`, result.waiting],
    ['anonymised by an earlier sweep', result.alreadyAnonymized],
  ];
  out.line(c.bold(`Sweep (anonymise addresses ${result.anonymizeAfter} after expiry):`));
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, n] of rows) out.line(`  ${label.padEnd(width)}  ${num(n).padStart(7)}`);
  if (result.dryRun) out.line(c.yellow('Dry run: nothing was changed.'));
};

export default print;
