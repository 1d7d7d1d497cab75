import type { Context } from '../../core/context.js';
import { jsonOrText } from '../shared/define.js';
import type { PreflightOptions } from './definition.js';
import { formatInstant } from '../../core/ops/format.js';
import type { PreflightResult } from './run.js';
import { colors, MARK, pad } from '../shared/style.js';

const MARKS = { pass: MARK.pass, fail: MARK.fail, unknown: MARK.unknown } as const;

function conclusion(result: PreflightResult): string {
  const { items, verdict } = result;
  const named = (state: 'fail' | 'unknown') =>
    items
      .filter((i) => i.state === state)
      .map((i) => i.title)
      .join(', ');
  if (verdict === 'GO') return `GO: all ${items.length} checks pass.`;
  if (verdict === 'NO-GO') return `NO-GO: fix ${named('fail')}, then run preflight again.`;
  return `INCOMPLETE: could not check ${named('unknown')}.`;
}

/** The checklist (one line per item, detail continued on indented lines), verdict, reminders. */
function printPreflight(result: PreflightResult, ctx: Pick<Context, 'out' | 'settings'>): void {
  const { out } = ctx;
  const c = colors(ctx);
  out.line(
    c.bold(
      `Preflight of ${result.file} (T-72h checklist), ${formatInstant(new Date(result.checkedAt))}:`,
    ),
  );
  out.line('');
  const width = Math.max(...result.items.map((i) => i.title.length));
  for (const i of result.items) {
    const [first = '', ...rest] = i.detail.split('\n');
    out.line(`${MARKS[i.state]} ${pad(i.title, width)}  ${first}`);
    for (const line of rest) out.line(`   ${' '.repeat(width)}  ${line.trim()}`);
  }
  out.line('');
  const paint = { GO: c.green, 'NO-GO': c.red, INCOMPLETE: c.yellow }[result.verdict];
  out.line(c.bold(paint(conclusion(result))));
  out.line('');
  out.line('Still to do by hand:');
  for (const reminder of result.reminders) out.line(`  ☐ ${reminder}`);
}

export default jsonOrText<PreflightOptions, PreflightResult>(printPreflight);
