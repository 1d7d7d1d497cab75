import path from 'node:path';
import { ExitCode } from '../core/errors.js';
import { sendInvites, type SendReport } from '../core/send/send-invites.js';
import { chooseTransport, lanesFor } from '../core/transports/choose.js';
import { defineCommand } from './command.js';
import { sendSchema } from './send-options.js';
import { printSendReport, sendJson } from './send-print.js';
import { progressDisplay } from './send-progress.js';

/** The first retry waits about a second; each next one twice as long, never over 30 s. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export default defineCommand({
  schema: sendSchema,
  async run(flags, ctx): Promise<SendReport> {
    const transport = chooseTransport(flags, ctx.settings);
    const progress = progressDisplay(ctx);
    let showing = false;
    try {
      return await sendInvites(
        {
          dir: path.resolve(ctx.cwd, flags.dir),
          confirm: flags.confirm || ctx.settings.send,
          acceptEdits: flags.acceptEdits,
          transport,
          dispatch: {
            concurrency: flags.concurrency,
            lanes: lanesFor(transport, flags.concurrency),
            retries: flags.retries,
            maxErrors: flags.maxErrors,
            ratePerSecond: flags.rate?.perSecond,
            retryBaseMs: RETRY_BASE_MS,
            retryMaxMs: RETRY_MAX_MS,
          },
          onStart: (total) => {
            showing = true;
            progress.start(total);
          },
          onProgress: (p) => progress.update(p),
        },
        ctx,
      );
    } finally {
      if (showing) progress.stop();
    }
  },
  // Ctrl-C / SIGTERM: in-flight messages finish and are recorded, then the summary says how to resume.
  handlesInterrupt: true,
  print(report, flags, ctx) {
    if (flags.json) return ctx.out.json(sendJson(report, flags));
    printSendReport(report, flags, ctx);
  },
  exitCode(report) {
    if (report.mode === 'dry-run') return ExitCode.ok;
    if (report.interrupted) return ExitCode.interrupted;
    if (report.stopped) return ExitCode.blocked;
    if (report.failed > 0) return report.sent > 0 ? ExitCode.warn : ExitCode.blocked;
    return ExitCode.ok;
  },
});
