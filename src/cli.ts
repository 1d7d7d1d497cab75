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

  return program;
}
