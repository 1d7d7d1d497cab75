import path from 'node:path';
import type { Context } from '../../core/context.js';
import { describeApproval } from '../../core/review/approval.js';
import type { Printer } from '../shared/define.js';
import { MARK, colors, num, pad } from '../shared/style.js';
import type { SendOptions } from './definition.js';
import { printRehearsalText } from './print-rehearsal.js';
import type { SendCommandResult, SendResult } from './run.js';

type Ctx = Pick<Context, 'out' | 'settings'>;
type SendReport = SendResult;
type SendFlags = SendOptions;

function sentBefore(report: SendReport, words = ' already sent'): string {
  const { ledger, database } = report.sentBefore;
  const text = `${num(ledger + database)}${words}`;
  return database > 0 ? `${text} (${num(database)} from another folder, per the database)` : text;
}

function skipped(report: SendReport): string | undefined {
  const { redeemed, bounced, expired } = report.skipped;
  const parts: string[] = [];
  if (redeemed > 0) parts.push(`${num(redeemed)} already redeemed`);
  if (expired > 0) parts.push(`${num(expired)} expired or revoked`);
  if (bounced > 0) parts.push(`${num(bounced)} hard-bounced before`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** "6 already sent, 1 already redeemed": everything this run leaves alone. */
function before(report: SendReport): string {
  return [sentBefore(report), skipped(report)].filter(Boolean).join(', ');
}

/** "7 beyond --limit 3, 4 in cohorts other than press": what a canary batch leaves. */
function heldText(report: SendReport, flags: SendFlags): string {
  const parts: string[] = [];
  if (report.held.limit > 0) parts.push(`${num(report.held.limit)} beyond --limit ${flags.limit}`);
  if (report.held.cohort > 0)
    parts.push(`${num(report.held.cohort)} in cohorts other than ${flags.cohort}`);
  return parts.join(', ');
}

/** After a canary batch: how many are left and the plain command that sends them. */
function printRest(report: SendResult, flags: SendFlags, ctx: Ctx): void {
  if (!report.rest) return;
  ctx.out.line(`   not sent yet: ${num(report.rest.count)} (${heldText(report, flags)})`);
  ctx.out.line('Send the rest with (what was sent is skipped):');
  ctx.out.line(`  ${report.rest.command}`);
}

function transportLine(report: SendReport): string {
  if (report.commandPath === null)
    return `${report.transport}  (not found: install it, or pass --send-cmd / --smtp)`;
  if (report.commandPath) return `${report.transport}  (${report.commandPath})`;
  return report.transport;
}

function printDryRun(report: SendResult, flags: SendFlags, ctx: Ctx): void {
  const out = ctx.out;
  const c = colors(ctx);
  out.line(c.bold('Dry run: nothing was sent.'));
  out.line(
    `  ${pad('folder', 13)}${flags.dir} (${num(report.total)} invitation(s) in manifest.jsonl)`,
  );
  out.line(`  ${pad('transport', 13)}${transportLine(report)}`);
  if (report.database) out.line(`  ${pad('database', 13)}${report.database}`);
  out.line(`  ${pad('approval', 13)}${describeApproval(report.approval, flags.dir)}`);
  out.line(`  ${pad('sent before', 13)}${sentBefore(report, '')}`);
  const skip = skipped(report);
  if (skip) out.line(`  ${pad('skipped', 13)}${skip}`);
  if (report.editedCount > 0)
    out.line(
      `  ${pad('edited', 13)}${num(report.editedCount)} file(s) changed since render, accepted`,
    );
  out.line(`  ${pad('would send', 13)}${num(report.toSend)}${report.toSend > 0 ? ':' : ''}`);
  for (const email of report.recipients) out.line(`    ${email}`);
  if (report.toSend > report.recipients.length)
    out.line(`    … and ${num(report.toSend - report.recipients.length)} more`);
  if (report.rest) out.line(`  ${pad('held back', 13)}${heldText(report, flags)}`);
  if (report.toSend === 0) return;
  out.line('To send them for real:');
  out.line(`  ${report.command}`);
  if (report.passwordOnCommandLine) {
    out.line(
      '  (*** is the password; better put the URL in SMTP_URL: a command line lands in shell history)',
    );
  }
}

function printOutcome(report: SendResult, flags: SendFlags, ctx: Ctx): void {
  const out = ctx.out;
  const c = colors(ctx);
  const secs = (report.elapsedMs / 1000).toFixed(1);
  const rate =
    report.elapsedMs > 0 ? ` (${(report.sent / (report.elapsedMs / 1000)).toFixed(1)}/s)` : '';
  const counts = `${num(report.sent)} of ${num(report.toSend)} sent, ${num(report.failed)} failed`;
  if (report.interrupted) {
    const why = report.interrupted.charAt(0).toUpperCase() + report.interrupted.slice(1);
    out.line(`${MARK.unknown} ${c.bold(why)}: ${counts}, ${num(report.remaining)} not sent yet.`);
  } else if (report.stopped) {
    out.line(`${MARK.fail} ${c.bold(`Stopped after ${report.stopped}`)}`);
    out.line(`   the relay is probably down: ${counts}, ${num(report.remaining)} not attempted.`);
  } else {
    const mark = report.failed === 0 ? MARK.pass : report.sent > 0 ? MARK.warn : MARK.fail;
    out.line(`${mark} ${c.bold(counts)} in ${secs} s${rate} through ${report.transport}`);
  }
  if (
    report.sentBefore.ledger +
      report.sentBefore.database +
      report.skipped.redeemed +
      report.skipped.bounced +
      report.skipped.expired >
    0
  ) {
    out.line(`   before this run: ${before(report)}`);
  }
  for (const f of report.failures.slice(0, 10))
    out.line(c.red(`   failed: ${f.email}: ${f.reason}`));
  if (report.failed > 10) out.line(`   … and ${num(report.failed - 10)} more`);
  if (report.sent > 0 || report.sentBefore.ledger > 0)
    out.line(`   ledger: ${path.join(flags.dir, 'sent.jsonl')}`);
  if (report.failed > 0) out.line(`   failures: ${path.join(flags.dir, 'send-failed.jsonl')}`);
  if (report.remaining > 0 || report.failed > 0) {
    out.line(
      `${report.remaining > 0 ? 'Resume' : 'After fixing the cause, retry the failed ones'} with (what was sent is skipped):`,
    );
    out.line(`  ${report.command}`);
  }
  printRest(report, flags, ctx);
}

function printText(report: SendResult, flags: SendFlags, ctx: Ctx): void {
  if (report.mode === 'dry-run') return printDryRun(report, flags, ctx);
  if (report.toSend === 0) {
    const c = colors(ctx);
    const what = flags.cohort === undefined ? '' : ` of cohort ${flags.cohort}`;
    ctx.out.line(
      `${MARK.pass} ${c.bold('Nothing to send')}${what} in ${flags.dir}: ${before(report)}.`,
    );
    return printRest(report, flags, ctx);
  }
  printOutcome(report, flags, ctx);
}

/** The summary as text, or with `--json` the report and the command that sends or resumes. */
const printSend: Printer<SendOptions, SendCommandResult> = (result, options, ctx) => {
  if (options.json) ctx.out.json({ ...result, passwordOnCommandLine: undefined });
  else if ('rehearsal' in result) printRehearsalText(result, options, ctx);
  else printText(result, options, ctx);
};

export default printSend;
