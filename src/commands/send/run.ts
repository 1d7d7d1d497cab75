import path from 'node:path';
import { compileReturnPath } from '../../core/bounces/verp.js';
import { ExitCode } from '../../core/errors.js';
import { approvalState, requireApproval, type ApprovalState } from '../../core/review/approval.js';
import { sendInvites, type SendReport } from '../../core/send/send-invites.js';
import { chooseTransport } from '../../core/transports/choose.js';
import { defineRunner } from '../shared/define.js';
import { transportFlags } from '../shared/option-groups.js';
import type { SendOptions } from './definition.js';
import { nextCommands } from './next-commands.js';
import { progressDisplay } from './progress.js';
import { refuseConflicts, rehearsalExit, runRehearsal, type RehearsalResult } from './rehearse.js';

/** The first retry waits about a second; each next one twice as long, never over 30 s. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** `--return-path`: each message's envelope sender names its invite (VERP). */
function envelopeFrom(pattern: string | undefined): ((inviteId: string) => string) | undefined {
  if (pattern === undefined) return undefined;
  const returnPath = compileReturnPath(pattern);
  return (inviteId) => returnPath.address(inviteId);
}

/** What `send` did, and the command that sends (or resumes) for real. */
export type SendResult = SendReport & {
  command: string;
  /** Whether `beta-invites review --approve` approved the folder as it is now. */
  approval: ApprovalState;
  /** The command line carried a password (shown as *** in `command`). */
  passwordOnCommandLine: boolean;
  /**
   * After a canary batch (--limit, --cohort): the pending messages it left, and the plain
   * command that sends them (each once: what was sent is skipped).
   */
  rest: { count: number; command: string } | null;
};

/** A send (or its dry run), or a rehearsal (--test-to). */
export type SendCommandResult = SendResult | RehearsalResult;

export default defineRunner<SendOptions, SendCommandResult>({
  async run(options, ctx, invocation) {
    refuseConflicts(options);
    // Refused before anything else when approval is required; otherwise only reported.
    const approval = options.requireApproval
      ? requireApproval(options.dir)
      : approvalState(options.dir);
    const { flags, env } = transportFlags(options, invocation.sources);
    const transport = chooseTransport(flags, env);
    const { testTo } = options;
    if (testTo) return runRehearsal({ ...options, testTo }, ctx, invocation, transport);
    const progress = progressDisplay(ctx);
    let showing = false;
    try {
      const report = await sendInvites(
        {
          dir: path.resolve(ctx.cwd, options.dir),
          confirm: options.confirm,
          acceptEdits: options.acceptEdits,
          embedded: options.embedded,
          selection: { cohort: options.cohort, limit: options.limit },
          transport,
          dispatch: {
            concurrency: options.concurrency,
            retries: options.retries,
            maxErrors: options.maxErrors,
            ratePerSecond: options.rate?.perSecond,
            retryBaseMs: RETRY_BASE_MS,
            retryMaxMs: RETRY_MAX_MS,
            envelopeFrom: envelopeFrom(options.returnPath),
          },
          onStart: (total) => {
            showing = true;
            progress.start(total);
          },
          onProgress: (p) => progress.update(p),
        },
        ctx,
      );
      const { command, rest } = nextCommands(report, options, invocation);
      return {
        ...report,
        command,
        rest,
        approval,
        passwordOnCommandLine: invocation.secretOnCommandLine,
      };
    } finally {
      if (showing) progress.stop();
    }
  },
  // Ctrl-C / SIGTERM: in-flight messages finish and are recorded, then the summary says how to resume.
  handlesInterrupt: true,
  exitCode(report) {
    if ('rehearsal' in report) return rehearsalExit(report);
    if (report.mode === 'dry-run') return ExitCode.ok;
    if (report.interrupted) return ExitCode.interrupted;
    if (report.stopped) return ExitCode.blocked;
    if (report.failed > 0) return report.sent > 0 ? ExitCode.warn : ExitCode.blocked;
    return ExitCode.ok;
  },
});
