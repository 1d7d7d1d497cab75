import path from 'node:path';
import type { Context } from '../../core/context.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { rehearse, type RehearsalReport } from '../../core/send/rehearsal.js';
import type { TransportChoice } from '../../core/transports/choose.js';
import type { Invocation } from '../shared/define.js';
import type { SendOptions } from './definition.js';

/** What `send --test-to` did, and the commands that come next. */
export type RehearsalResult = RehearsalReport & {
  rehearsal: true;
  /** Dry run: the command that sends the rehearsal; after it: the real send's dry run. */
  command: string;
  passwordOnCommandLine: boolean;
};

/**
 * A rehearsal goes to the test addresses only: --limit (which chooses real recipients)
 * makes no sense with it, and --test-sample none without it. --cohort narrows either.
 */
export function refuseConflicts(options: SendOptions): void {
  const hint = 'see beta-invites send --help';
  if (options.testSample !== undefined && options.testTo === undefined)
    throw new UsageError('--test-sample needs --test-to (the addresses to rehearse with)', hint);
  if (options.testTo !== undefined && options.limit !== undefined)
    throw new UsageError(
      '--limit chooses real recipients and cannot be used with --test-to',
      'a rehearsal sends to the --test-to addresses only; choose how many with --test-sample N',
    );
}

export async function runRehearsal(
  options: SendOptions & { testTo: string[] },
  ctx: Context,
  invocation: Invocation<SendOptions>,
  transport: TransportChoice,
): Promise<RehearsalResult> {
  const report = await rehearse(
    {
      dir: path.resolve(ctx.cwd, options.dir),
      confirm: options.confirm,
      acceptEdits: options.acceptEdits,
      transport,
      testTo: options.testTo,
      sample: options.testSample,
      cohort: options.cohort,
    },
    ctx,
  );
  const command =
    report.mode === 'dry-run'
      ? invocation.repeat({ drop: ['confirm', 'json'], extra: ['--confirm'] })
      : invocation.repeat({ drop: ['confirm', 'json', 'testTo', 'testSample'] });
  return {
    ...report,
    rehearsal: true,
    command,
    passwordOnCommandLine: invocation.secretOnCommandLine,
  };
}

/** 0 for a dry run or when every test message was accepted; 1 otherwise. */
export function rehearsalExit(report: RehearsalResult): ExitCode {
  return report.mode === 'dry-run' || report.refused === 0 ? ExitCode.ok : ExitCode.blocked;
}
