import type { Context } from '../../core/context.js';
import { formatInstant, formatRate, formatSeconds } from '../../core/ops/format.js';
import { REPORT_COUNTS as COUNTS, reportCsv, type ReportRow } from '../../core/ops/report.js';
import type { Printer } from '../shared/define.js';
import type { ReportOptions } from './definition.js';
import { reportFormat, type ReportResult } from './run.js';
import { colors, num, pad } from '../shared/style.js';

function scope(result: ReportResult): string {
  const parts = [`as of ${formatInstant(new Date(result.asOf))}`];
  if (result.since) parts.push(`created since ${formatInstant(new Date(result.since))}`);
  if (result.cohortPrefix !== null) parts.push(`cohorts starting with "${result.cohortPrefix}"`);
  return parts.join(', ');
}

function cells(row: ReportRow): string[] {
  return [
    row.cohort ?? 'total',
    ...COUNTS.map((key) => num(row[key])),
    formatRate(row.redemptionRate),
    row.medianSecondsToRedeem === null ? '–' : formatSeconds(row.medianSecondsToRedeem),
  ];
}

function printTable(result: ReportResult, ctx: Pick<Context, 'out' | 'settings'>): void {
  const c = colors(ctx);
  const { out } = ctx;
  if (result.total.invited === 0) {
    out.line(`No invites (${scope(result)}).`);
    return;
  }
  out.line(c.bold(`Invites by cohort, ${scope(result)}:`));
  out.line('');
  const header = ['cohort', ...COUNTS, 'rate', 'median sent→redeemed'];
  const rows = [...result.cohorts, result.total].map(cells);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (r: string[]) =>
    r
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        if (i === 0 || i === r.length - 1) return pad(cell, width);
        return cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  out.line(c.dim(format(header)));
  rows.forEach((r, i) => out.line(i === rows.length - 1 ? c.bold(format(r)) : format(r)));
  out.line('');
  out.line(
    c.dim(
      'rate = redeemed ÷ invited; expired = past expires_at (at the instant itself) and never redeemed; the median covers invites both sent and redeemed',
    ),
  );
  out.line(
    c.dim(
      result.outDirs.length > 0
        ? `bounced = a hard (5.x.x) bounce; failed = bounced, or given up on by send in ${result.outDirs.join(', ')} and not sent since`
        : 'bounced = a hard (5.x.x) bounce; failed = bounced only: pass --out DIR to add the permanent failures of send-failed.jsonl',
    ),
  );
}

function printReport(
  result: ReportResult,
  format: 'table' | 'csv' | 'json',
  ctx: Pick<Context, 'out' | 'settings'>,
): void {
  if (format === 'json') return ctx.out.json(result);
  if (format === 'table') return printTable(result, ctx);
  ctx.out.stdout.write(reportCsv(result));
}

/** The report as an aligned table, CSV (RFC 4180, formula-safe) or one JSON document. */
const print: Printer<ReportOptions, ReportResult> = (result, options, ctx) =>
  printReport(result, reportFormat(options), ctx);

export default print;
