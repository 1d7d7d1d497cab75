import { CommanderError } from 'commander';
import { buildProgram, type Runner } from './cli.js';
import { parseOptions } from './commands/options.js';
import { readSettings } from './core/config.js';
import type { Context } from './core/context.js';
import type { Database } from './core/db/database.js';
import { ExitCode, UserError, errorMessage } from './core/errors.js';
import { isClosedSocketWrite } from './core/db/connection-loss.js';
import { redactUrls } from './core/db/url.js';
import { createOutput } from './core/output.js';

const out = createOutput({ stdout: process.stdout, stderr: process.stderr });
const settings = readSettings(process.env, process.cwd());
const controller = new AbortController();
let debug = settings.debug || process.argv.includes('--debug');
let database: Database | undefined;
let handlesInterrupt = false;

/** Closes the database (bounded) and exits: for commands that do not stop by themselves. */
async function stopNow(signal: NodeJS.Signals): Promise<never> {
  out.error(`beta-invites: interrupted by ${signal}`);
  const closing = database?.close().catch(() => {});
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
  process.exit(ExitCode.interrupted);
}

function onSignal(signal: NodeJS.Signals): void {
  if (controller.signal.aborted) {
    out.error(`beta-invites: second ${signal}, stopping now`);
    process.exit(ExitCode.interrupted);
  }
  controller.abort(new UserError(`interrupted by ${signal}`, { exitCode: ExitCode.interrupted }));
  if (!handlesInterrupt) void stopNow(signal);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A lost database connection can make postgres.js throw from a timer after the failed query
// was rejected (see isClosedSocketWrite): the command is already reporting that failure.
process.on('uncaughtException', (error) => {
  if (isClosedSocketWrite(error)) return;
  report(error);
  process.exit(process.exitCode ?? ExitCode.blocked);
});

function report(error: unknown): void {
  if (error instanceof UserError) {
    out.error(`beta-invites: ${redactUrls(error.message)}`);
    if (error.hint) out.error(`  ${redactUrls(error.hint)}`);
    process.exitCode = error.exitCode;
    return;
  }
  out.error(`beta-invites: unexpected error: ${redactUrls(errorMessage(error))}`);
  if (debug && error instanceof Error && error.stack) out.error(redactUrls(error.stack));
  else out.error('  rerun with --debug for the stack trace');
  process.exitCode = ExitCode.blocked;
}

const run: Runner = async (load, raw) => {
  const { default: command } = await load();
  handlesInterrupt = command.handlesInterrupt === true;
  const options = parseOptions(command.schema, raw);
  let opened: Promise<Database> | undefined;
  const ctx: Context = {
    settings,
    out,
    cwd: process.cwd(),
    clock: () => new Date(),
    signal: controller.signal,
    debug,
    db: () =>
      (opened ??= import('./core/db/open.js').then(async ({ openDatabase }) => {
        database = await openDatabase(settings, { notice: (m) => out.error(m) });
        return database;
      })),
  };
  const result = await command.run(options, ctx);
  command.print(result, options, ctx);
  process.exitCode = command.exitCode(result, options);
};

async function main(): Promise<void> {
  const program = buildProgram(run);
  program.hook('preAction', (cmd) => {
    debug ||= cmd.opts<{ debug?: boolean }>().debug === true;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode =
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
          ? ExitCode.ok
          : ExitCode.usage;
    } else {
      report(error);
    }
  } finally {
    try {
      await database?.close();
    } catch (error) {
      report(error);
    }
  }
  process.exit(process.exitCode ?? 0);
}

await main();
