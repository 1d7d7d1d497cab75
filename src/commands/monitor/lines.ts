import type { ChalkInstance } from 'chalk';
import type { Context } from '../../core/context.js';
import type { GateChange } from '../../core/monitor/damping.js';
import { tally, type MonitorReport, type Verdict } from '../../core/monitor/verdict.js';
import { MARK, colors, pad } from '../shared/style.js';

/** The widest gate name (`status_page`, `high_issues`) plus a space. */
export const NAME_WIDTH = 12;

/** `2026-05-01T18:00:05Z`: log lines sort and grep well, and read the same in every zone. */
export function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `18:00:05` (UTC, like every time the monitor shows). */
export function clockTime(date: Date): string {
  return date.toISOString().slice(11, 19);
}

export function paintVerdict(verdict: Verdict, c: ChalkInstance): string {
  if (verdict === 'GO') return c.green.bold(verdict);
  return verdict === 'NO-GO' ? c.red.bold(verdict) : c.yellow.bold(verdict);
}

/** The report of one check: a line per gate, then the verdict. */
export function printReport(report: MonitorReport, ctx: Pick<Context, 'out' | 'settings'>): void {
  const c = colors(ctx);
  const when = stamp(new Date(report.checkedAt)).replace('T', ' ').replace('Z', ' UTC');
  ctx.out.line(c.bold(`Launch gates, checked ${when}`));
  for (const g of report.gates) {
    const detail = g.state === 'unknown' ? c.dim(g.detail) : g.detail;
    ctx.out.line(`  ${MARK[g.state]} ${pad(g.gate, NAME_WIDTH)} ${detail}`);
  }
  ctx.out.line('');
  ctx.out.line(`${paintVerdict(report.verdict, c)}: ${tally(report.gates)}`);
}

/** A log line for a gate that changed state: `… status_page ✅ → 🔴 major: Partial outage`. */
export function changeLine(change: GateChange, at: Date): string {
  const from = change.from ? `${MARK[change.from]} → ` : '';
  return `${stamp(at)} ${pad(change.gate, NAME_WIDTH)} ${from}${MARK[change.to.state]} ${change.to.detail}`;
}

/** The log line every cycle ends with: `… NO-GO (was GO): 5 pass, 1 fail, 0 unknown`. */
export function verdictLine(
  report: MonitorReport,
  previous: Verdict | undefined,
  at: Date,
): string {
  const was = previous && previous !== report.verdict ? ` (was ${previous})` : '';
  return `${stamp(at)} ${report.verdict}${was}: ${tally(report.gates)}`;
}
