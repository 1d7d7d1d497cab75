import { Command, Option } from 'commander';
import bounces from './commands/bounces/definition.js';
import migrate from './commands/migrate/definition.js';
import monitor from './commands/monitor/definition.js';
import preflight from './commands/preflight/definition.js';
import render from './commands/render/definition.js';
import report from './commands/report/definition.js';
import review from './commands/review/definition.js';
import revoke from './commands/revoke/definition.js';
import send from './commands/send/definition.js';
import show from './commands/show/definition.js';
import sweep from './commands/sweep/definition.js';
import validateCohort from './commands/validate-cohort/definition.js';
import {
  flagName,
  type ArgSpecs,
  type CommandDefinition,
  type OptionSpecs,
} from './commands/shared/define.js';
import { helpFooter, optionHelp } from './commands/shared/help.js';
import type { RawInput } from './commands/shared/resolve.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandDefinition<OptionSpecs, ArgSpecs>[] = [
  migrate,
  validateCohort,
  render,
  review,
  send,
  bounces,
  monitor,
  report,
  show,
  revoke,
  sweep,
  preflight,
];

/** Runs a command with what commander parsed (wired by main.ts). */
export type Runner = (
  definition: CommandDefinition<OptionSpecs, ArgSpecs>,
  raw: Omit<RawInput, 'env'>,
) => Promise<void>;

const VERSION = '0.1.0';

/** Commander's error text as one line: `unknown option '--x' (Did you mean --y?)`. */
export function usageMessage(text: string): string {
  return text
    .replace(/^error: /, '')
    .trim()
    .replace(/\s*\n\s*/g, ' ');
}

function addCommand(
  program: Command,
  definition: CommandDefinition<OptionSpecs, ArgSpecs>,
  run: Runner,
): void {
  const command = program.command(definition.name).description(definition.description);
  for (const spec of Object.values(definition.args))
    command.argument(spec.optional ? `[${spec.name}]` : `<${spec.name}>`, spec.help);
  for (const [key, spec] of Object.entries(definition.options)) {
    const flags = spec.kind === 'flag' ? flagName(key) : `${flagName(key)} <${spec.value}>`;
    const option = new Option(flags, optionHelp(spec));
    command.addOption(spec.hidden ? option.hideHelp() : option);
  }
  command.addHelpText('after', helpFooter(definition));
  command.action(() =>
    run(definition, { args: command.processedArgs as string[], cli: command.opts() }),
  );
}

/**
 * The command tree, built from the definitions. Each command's handler is imported only
 * when it runs, so `--help` loads neither PGlite, postgres.js nor nodemailer.
 */
export function buildProgram(run: Runner): Command {
  const program = new Command('beta-invites')
    .description('Operator toolkit for an invite-only soft launch.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces of unexpected errors (or DEBUG=1)')
    .exitOverride()
    .configureOutput({
      // One line, commander's "(Did you mean …?)" included, in the form of every other error.
      outputError: (text, write) =>
        write(`beta-invites: ${usageMessage(text)}\n  see beta-invites --help\n`),
    })
    .configureHelp({ sortSubcommands: false });
  for (const definition of COMMANDS) addCommand(program, definition, run);
  return program;
}
