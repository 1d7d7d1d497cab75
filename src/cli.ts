import { Command, Option } from 'commander';
import type { z } from 'zod';
import type { Command as BetaCommand } from './commands/command.js';

/** Runs a lazily loaded command with commander's raw options (wired by main.ts). */
export type Runner = (
  load: () => Promise<{ default: BetaCommand<z.ZodType, unknown> }>,
  options: Record<string, unknown>,
) => Promise<void>;

const VERSION = '0.1.0';

/**
 * The command tree. Only wiring: each action imports its command on demand, so `--help`
 * loads neither PGlite, postgres.js nor nodemailer.
 */
export function buildProgram(run: Runner): Command {
  const program = new Command('beta-invites')
    .description('Operator toolkit for an invite-only soft launch.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces of unexpected errors (or DEBUG=1)')
    .exitOverride()
    .configureOutput({
      // One line, in the same form as every other error of the tool.
      outputError: (text, write) =>
        write(`beta-invites: ${text.replace(/^error: /, '').trim()}\n  see beta-invites --help\n`),
    })
    .configureHelp({ sortSubcommands: false });

  program
    .command('migrate')
    .description('apply pending database migrations (advisory-locked, checksummed)')
    .option('--dir <dir>', 'migrations folder (default: the bundled migrations/)')
    .option('--status', 'list applied and pending migrations (exit 2 when some are pending)')
    .option('--dry-run', 'print the SQL that would run, change nothing')
    .option('--wait', 'wait for another running migrate instead of failing')
    .option('--json', 'print one JSON document')
    .action((opts: Record<string, unknown>) => run(() => import('./commands/migrate.js'), opts));

  program
    .command('validate-cohort')
    .description('check a cohort CSV: hard checks block (exit 1), soft ones warn (exit 2)')
    .argument('<cohort.csv>', 'the cohort file (header: email,cohort[,extra columns])')
    .option('--min-total <n>', 'soft minimum of recipients', '50')
    .option('--min-creators <n>', 'soft minimum of rows whose cohort starts with "creator"', '5')
    .option('--min-labels <n>', 'soft minimum of distinct cohort labels', '3')
    .option('--labels <a,b,c>', 'the only cohort labels allowed (hard check)')
    .option('--check-users', 'warn about emails already in public.users (needs the database)')
    .option('--force', 'soft checks do not fail the run (or FORCE=1)')
    .option('--json', 'print one JSON document (all issues)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']))
    .action((file: string, opts: Record<string, unknown>) =>
      run(() => import('./commands/validate-cohort.js'), { file, ...opts }),
    );

  program
    .command('render')
    .description('create one invite per recipient and render a reviewable .eml for each')
    .argument('<cohort.csv>', 'the cohort file (validated first)')
    .option('--out <dir>', 'output folder (default: out-YYYY-MM-DD)')
    .option('--template <dir>', 'template folder with subject.hbs, text.hbs, html.hbs')
    .option('--expires-in <duration>', 'validity of new invites: 30d, 12h, 2w', '30d')
    .option('--sent-by <email|uuid>', 'the operator, from public.users (recorded as sent_by)')
    .option(
      '--signup-url <url>',
      'signup page; the code is added as ?code= or replaces {code} (or INVITE_SIGNUP_URL)',
    )
    .option('--feedback-url <url>', 'feedback form (or INVITE_FEEDBACK_URL)')
    .option('--from <address>', 'From: "Name <address>" (or INVITE_FROM)')
    .option('--reply-to <address>', 'Reply-To (or INVITE_REPLY_TO; default: the From address)')
    .option('--time-zone <zone>', 'time zone of the expiry date in the copy', 'Europe/Paris')
    .option('--min-total <n>', 'soft minimum of recipients', '50')
    .option('--min-creators <n>', 'soft minimum of creator rows', '5')
    .option('--min-labels <n>', 'soft minimum of distinct labels', '3')
    .option('--labels <a,b,c>', 'the only cohort labels allowed')
    .addOption(
      new Option('--batch-size <n>', 'recipients per database transaction')
        .default('500')
        .hideHelp(),
    )
    .option('--dry-run', 'render with PREVIEW codes and touch no database (for CI)')
    .option('--force', 'render even if soft checks fail (or FORCE=1)')
    .option('--json', 'print one JSON summary')
    .action((file: string, opts: Record<string, unknown>) =>
      run(() => import('./commands/render.js'), { file, ...opts }),
    );

  program
    .command('send')
    .description(
      'send the reviewed .eml files of a render folder, exactly once (dry run without --confirm)',
    )
    .argument('<dir>', 'the folder beta-invites render wrote')
    .option('--confirm', 'send for real (or SEND=1); without it, only show what would be sent')
    .option(
      '--smtp <url>',
      'SMTP relay: smtp://USER:PASS@HOST:587 (STARTTLS) or smtps://…:465 (or SMTP_URL)',
    )
    .option(
      '--send-cmd <cmd>',
      'sendmail-compatible command, message on stdin (or SEND_CMD; default msmtp)',
    )
    .option('--rate <n/s>', 'at most this many messages per second (10/s, 600/m, 5000/h)')
    .option('--concurrency <n>', 'messages in flight at once, the most a crash can repeat', '8')
    .option('--retries <n>', 'retries of a transient failure (4xx, exit 75), with backoff', '3')
    .option('--max-errors <n>', 'stop after this many consecutive failures (0: never)', '10')
    .option('--accept-edits', 'send files changed since render as they are now')
    .option('--json', 'print one JSON summary')
    .action((dir: string, opts: Record<string, unknown>) =>
      run(() => import('./commands/send.js'), { dir, ...opts }),
    );

  program
    .command('bounces')
    .description('record delivery failures (DSNs) from a mailbox: hard, soft, per invite')
    .argument('[source]', 'a Maildir, an mbox file, an .eml file or a folder of .eml files')
    .option(
      '--imap <url>',
      'read an IMAP mailbox instead, read-only: imaps://USER:PASS@HOST/INBOX (or BOUNCES_IMAP_URL)',
    )
    .option(
      '--return-path <pattern>',
      "the VERP envelope sender, e.g. 'bounces+{invite}@example.org'",
    )
    .option('--dry-run', 'read and count, record nothing')
    .option('--json', 'print one JSON document')
    .action((source: string | undefined, opts: Record<string, unknown>) =>
      run(() => import('./commands/bounces.js'), { source, ...opts }),
    );

  program
    .command('report')
    .description('attribution by cohort: invited, sent, redeemed, pending, expired, revoked')
    .addOption(new Option('--format <format>', 'table (default)').choices(['table', 'csv', 'json']))
    .option('--json', 'same as --format json')
    .option('--since <date>', 'only invites created since YYYY-MM-DD (UTC) or an ISO 8601 time')
    .option('--cohort <prefix>', 'only cohorts whose label starts with this text')
    .action((opts: Record<string, unknown>) => run(() => import('./commands/report.js'), opts));

  program
    .command('show')
    .description('every invite of a person or a code: state, dates, operator, files')
    .argument('<code|email>', 'an invite code (any case, spaces and dashes ignored) or an address')
    .option('--out <dir>', 'also show the .eml file and ledger lines from this render folder')
    .option('--json', 'print one JSON document')
    .action((target: string, opts: Record<string, unknown>) =>
      run(() => import('./commands/show.js'), { target, ...opts }),
    );

  program
    .command('revoke')
    .description('end the pending invites of a person or a code (never a redeemed one)')
    .argument('<code|email>', 'an invite code or an address')
    .option('--reason <text>', 'why, recorded with the invite')
    .option('--dry-run', 'print what would change, change nothing')
    .option('--json', 'print one JSON document')
    .action((target: string, opts: Record<string, unknown>) =>
      run(() => import('./commands/revoke.js'), { target, ...opts }),
    );

  program
    .command('sweep')
    .description('count expired invites; anonymise those long expired and never redeemed (cron)')
    .option('--anonymize-after <duration>', 'keep addresses this long after expiry: 30d, 2w', '30d')
    .option('--dry-run', 'count only, change nothing')
    .option('--json', 'print one JSON document')
    .action((opts: Record<string, unknown>) => run(() => import('./commands/sweep.js'), opts));

  program
    .command('monitor')
    .description('check the six launch gates: GO (exit 0), NO-GO (1) or INCOMPLETE (2)')
    .option('--config <file>', 'the gates config', 'beta-invites.monitor.json')
    .option('--only <gates>', 'check only these gates (comma-separated)')
    .option('--json', 'print one JSON document (with --watch: one per line per check)')
    .option('--watch', 'check again every --interval until stopped (or LOOP=1)')
    .option('--interval <seconds>', 'pause between checks (or CHECK_INTERVAL; default 300)')
    .option('--fail-after <n>', 'consecutive 🔴/⚪ results before a gate shows it (default 1)')
    .option('--pass-after <n>', 'consecutive ✅ results before a gate shows it again (default 1)')
    .option(
      '--on-change <cmd>',
      'run this command when the verdict changes (no shell; env VERDICT, PREVIOUS_VERDICT, SUMMARY)',
    )
    .action((opts: Record<string, unknown>) => run(() => import('./commands/monitor.js'), opts));

  program
    .command('preflight')
    .description('the machine-checkable T-72h checklist: GO 0, NO-GO 1, INCOMPLETE 2')
    .argument('<cohort.csv>', 'the cohort file to check (as validate-cohort)')
    .option('--out <dir>', 'the folder render will write: check it can be written')
    .option('--config <file>', 'monitor config (default: beta-invites.monitor.json)')
    .option('--smtp <url>', 'SMTP relay to verify, as send (or SMTP_URL)')
    .option('--send-cmd <cmd>', 'sendmail-compatible command to find, as send (or SEND_CMD)')
    .option('--template <dir>', 'template folder, as render')
    .option('--signup-url <url>', 'signup page, as render (or INVITE_SIGNUP_URL)')
    .option('--feedback-url <url>', 'feedback form, as render (or INVITE_FEEDBACK_URL)')
    .option('--from <address>', 'From, as render (or INVITE_FROM)')
    .option('--reply-to <address>', 'Reply-To, as render (or INVITE_REPLY_TO)')
    .option('--time-zone <zone>', 'time zone of the expiry date in the copy', 'Europe/Paris')
    .option('--min-total <n>', 'soft minimum of recipients', '50')
    .option('--min-creators <n>', 'soft minimum of creator rows', '5')
    .option('--min-labels <n>', 'soft minimum of distinct labels', '3')
    .option('--labels <a,b,c>', 'the only cohort labels allowed')
    .option('--check-users', 'also look for cohort emails already in public.users')
    .option('--force', 'soft cohort checks do not fail preflight (or FORCE=1), as render')
    .option('--json', 'print one JSON document')
    .action((file: string, opts: Record<string, unknown>) =>
      run(() => import('./commands/preflight.js'), { file, ...opts }),
    );

  return program;
}
