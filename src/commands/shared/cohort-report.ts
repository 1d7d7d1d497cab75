import type { CohortReport } from '../../core/cohort/validate.js';
import type { Issue } from '../../core/cohort/issues.js';
import type { Context } from '../../core/context.js';
import type { Output } from '../../core/output.js';
import { MARK, colors, num, pad } from './style.js';

const SHOWN = 20;

function recipients(n: number): string {
  return `${num(n)} recipient${n === 1 ? '' : 's'}`;
}

function issueLine(issue: Issue): string {
  const value = issue.value.length > 60 ? issue.value.slice(0, 57) + '...' : issue.value;
  if (issue.line === 0) return issue.message;
  return `line ${issue.line}: ${value ? JSON.stringify(value) + ' ' : ''}${issue.message}`;
}

/** The human report: each check, the first offending rows, the distribution, the verdict. */
export function printCohortReport(
  report: CohortReport,
  ctx: Pick<Context, 'out' | 'settings'>,
  forced: boolean,
): void {
  const c = colors(ctx);
  const out = ctx.out;
  const { stats } = report;
  const labels = `${num(stats.labels)} label${stats.labels === 1 ? '' : 's'}`;
  const columns = stats.columns.length > 0 ? ` (columns: ${stats.columns.join(', ')})` : '';
  out.line(c.bold(`${report.file}: ${recipients(stats.rows)}, ${labels}`) + c.dim(columns));
  const issues = [...report.errors, ...report.warnings];
  for (const check of report.checks) {
    const mark = MARK[check.status];
    out.line(`${mark} ${pad(check.title, 18)} ${check.detail}`);
    const rows = issues.filter((i) => i.type === check.id && i.line > 0);
    for (const issue of rows.slice(0, SHOWN)) out.line(c.dim(`     ${issueLine(issue)}`));
    if (check.count > SHOWN && rows.length > 0) {
      out.line(c.dim(`     … and ${num(check.count - SHOWN)} more (--json lists all)`));
    }
  }
  const entries = Object.entries(stats.distribution);
  if (entries.length > 0) {
    out.line('');
    out.line('Distribution by cohort:');
    const width = Math.max(...entries.map(([label]) => label.length));
    for (const [label, n] of entries) {
      const share = stats.rows ? ((100 * n) / stats.rows).toFixed(1) : '0.0';
      out.line(`  ${pad(label, width)}  ${num(n).padStart(8)}  ${share.padStart(5)}%`);
    }
  }
  out.line('');
  out.line(verdictLine(report, forced, c));
}

function verdictLine(report: CohortReport, forced: boolean, c: ReturnType<typeof colors>): string {
  if (report.verdict === 'blocked') {
    const failed = report.checks.filter((ch) => ch.status === 'fail').length;
    return c.red(
      `BLOCKED: ${failed} hard check${failed === 1 ? '' : 's'} failed; fix the file and rerun.`,
    );
  }
  if (report.verdict === 'warn') {
    return forced
      ? c.yellow('WARN (forced): soft checks failed; proceeding because of --force/FORCE=1.')
      : c.yellow('WARN: soft checks failed; rerun with --force (or FORCE=1) to proceed anyway.');
  }
  return c.green('OK: the cohort is valid.');
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one annotation per issue, then a notice. */
export function printGithub(report: CohortReport, out: Output): void {
  const file = escapeProperty(report.file);
  const emit = (level: 'error' | 'warning', issue: Issue) => {
    const where = issue.line > 0 ? `file=${file},line=${issue.line}` : `file=${file}`;
    out.line(`::${level} ${where},title=${issue.type}::${escapeData(issueLine(issue))}`);
  };
  report.errors.forEach((i) => emit('error', i));
  report.warnings.forEach((i) => emit('warning', i));
  out.line(
    `::notice file=${file}::${escapeData(`${recipients(report.stats.rows)}, verdict ${report.verdict}`)}`,
  );
}
