import { CommanderError } from 'commander';
import { buildProgram, usageMessage, type Runner } from './cli.js';
import type { AnyHandler, Invocation } from './commands/shared/define.js';
import { repeatCommand, secretOnCommandLine } from './commands/shared/command-line.js';
import { resolveOptions } from './commands/shared/resolve.js';
import { readSettings } from './core/config.js';
import type { Context } from './core/context.js';
import type { Database } from './core/db/database.js';
import { ExitCode, UserError, errnoCode, errorMessage } from './core/errors.js';
import { isClosedSocketWrite } from './core/db/connection-loss.js';
import { databaseProblem } from './core/db/query-errors.js';
import { redactUrls } from './core/db/url.js';
import { createOutput } from './core/output.js';

const out = createOutput({ stdout: process.stdout, stderr: process.stderr });
const settings = readSettings(process.env, process.cwd());
const controller = new AbortController();
let debug = settings.debug || process.argv.includes('--debug');
let database: Database | undefined;
let handlesInterrupt = false;
/** `--json` (or `--format json`): an error is then one JSON document on stdout as well. */
let jsonMode = wantsJson(process.argv.slice(2));

function wantsJson(words: readonly string[]): boolean {
  return words.some(
    (word, i) =>
      word === '--json' ||
      word === '--format=json' ||
      (word === '--format' && words[i + 1] === 'json'),
  );
}

// A reader that stops early (`beta-invites report | head -1`) closes stdout: what is left
// to print is dropped quietly, as git does, and the command still finishes its work.
process.stdout.on('error', (error) => {
  if (errnoCode(error) !== 'EPIPE') throw error;
});

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

/** One line on stderr (and a JSON document on stdout with `--json`), and the exit code. */
function fail(message: string, hint: string | undefined, exitCode: ExitCode): void {
  out.error(`beta-invites: ${message}`);
  if (hint) out.error(`  ${hint}`);
  if (jsonMode) out.json({ error: message, hint: hint ?? null, exitCode });
  process.exitCode = exitCode;
}

function report(thrown: unknown): void {
  const error = databaseProblem(thrown, database?.label) ?? thrown;
  if (error instanceof UserError) {
    const hint = error.hint === undefined ? undefined : redactUrls(error.hint);
    return fail(redactUrls(error.message), hint, error.exitCode);
  }
  const stack = debug && error instanceof Error ? error.stack : undefined;
  const hint = stack ? redactUrls(stack) : 'rerun with --debug for the stack trace';
  fail(`unexpected error: ${redactUrls(errorMessage(error))}`, hint, ExitCode.blocked);
}

const run: Runner = async (definition, raw) => {
  jsonMode = raw.cli.json === true || raw.cli.format === 'json';
  const resolved = resolveOptions(definition, { ...raw, env: settings.env });
  const loaded = await definition.load();
  const command = loaded as AnyHandler;
  handlesInterrupt = command.handlesInterrupt === true;
  const options = resolved.options as never;
  const invocation: Invocation<Record<string, unknown>> = {
    sources: resolved.sources,
    repeat: (change) => repeatCommand(definition, resolved, change),
    secretOnCommandLine: secretOnCommandLine(definition, resolved),
  };
  let opened: Promise<Database> | undefined;
  const ctx: Context = {
    settings,
    out,
    cwd: process.cwd(),
    clock: () => new Date(),
    signal: controller.signal,
    db: () =>
      (opened ??= import('./core/db/open.js').then(async ({ openDatabase }) => {
        database = await openDatabase(settings, { notice: (m) => out.error(m) });
        return database;
      })),
  };
  const result = await command.run(options, ctx, invocation);
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
      const ok =
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version';
      // Commander has printed its line on stderr; with --json, stdout says it too.
      if (!ok && jsonMode) {
        const message = usageMessage(error.message);
        out.json({ error: message, hint: 'see beta-invites --help', exitCode: ExitCode.usage });
      }
      process.exitCode = ok ? ExitCode.ok : ExitCode.usage;
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
