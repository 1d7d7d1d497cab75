import type { Context } from '../../core/context.js';
import { MARK, colors, num, pad } from '../shared/style.js';
import type { SendOptions } from './definition.js';
import type { RehearsalResult } from './rehearse.js';

type Ctx = Pick<Context, 'out' | 'settings'>;

function transportLine(report: RehearsalResult): string {
  if (report.commandPath === null)
    return `${report.transport}  (not found: install it, or pass --send-cmd / --smtp)`;
  if (report.commandPath) return `${report.transport}  (${report.commandPath})`;
  return report.transport;
}

/** "creators  ada@example.org  00001-ada.eml": which invitation a test message copies. */
function messageLine(report: RehearsalResult, m: RehearsalResult['messages'][number]): string {
  const width = Math.max(...report.messages.map((x) => x.cohort.length)) + 2;
  return `${pad(m.cohort, width)}${m.email}  ${m.file}`;
}

function printDryRun(report: RehearsalResult, flags: SendOptions, ctx: Ctx): void {
  const out = ctx.out;
  out.line(colors(ctx).bold('Dry run of a rehearsal: nothing was sent.'));
  out.line(`  ${pad('folder', 13)}${flags.dir}`);
  out.line(`  ${pad('transport', 13)}${transportLine(report)}`);
  out.line(`  ${pad('test to', 13)}${report.testTo.join(', ')}`);
  out.line(
    `  ${pad('would send', 13)}${num(report.messages.length)} test message(s), copies of these invitations with To: the test addresses and Subject: [TEST] …`,
  );
  for (const m of report.messages) out.line(`    ${messageLine(report, m)}`);
  out.line('No recipient is emailed and nothing is recorded. To send the rehearsal:');
  out.line(`  ${report.command}`);
}

function printRehearsal(report: RehearsalResult, flags: SendOptions, ctx: Ctx): void {
  const out = ctx.out;
  const c = colors(ctx);
  const total = report.messages.length;
  const mark = report.refused === 0 ? MARK.pass : report.accepted > 0 ? MARK.warn : MARK.fail;
  out.line(
    `${mark} ${c.bold(`Rehearsal: ${num(report.accepted)} of ${num(total)} test message(s) accepted`)} through ${report.transport}`,
  );
  out.line(`   to ${report.testTo.join(', ')}; no recipient was emailed, nothing was recorded`);
  for (const m of report.messages) {
    const line = `   ${m.accepted ? MARK.pass : MARK.fail} ${messageLine(report, m)}: ${m.answer ?? ''}`;
    out.line(m.accepted ? line : c.red(line));
  }
  if (report.refused > 0) {
    out.line('Fix what the transport refused, then rehearse again with the same command.');
    return;
  }
  out.line(`When the test messages look right, see what the real send would do (${flags.dir}):`);
  out.line(`  ${report.command}`);
}

/** The rehearsal's summary as text; with `--json` the caller prints the report itself. */
export function printRehearsalText(report: RehearsalResult, flags: SendOptions, ctx: Ctx): void {
  if (report.mode === 'dry-run') printDryRun(report, flags, ctx);
  else printRehearsal(report, flags, ctx);
}
