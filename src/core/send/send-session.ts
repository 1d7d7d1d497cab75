import path from 'node:path';
import type { Sql } from 'postgres';
import type { Context } from '../context.js';
import { UserError, errorMessage, toError } from '../errors.js';
import { OUTDIR } from '../outdir/files.js';
import { openTransport, transportSecrets, type TransportChoice } from '../transports/choose.js';
import type { Transport } from '../transports/transport.js';
import {
  dispatch,
  inFlight,
  ledgerCommit,
  type DispatchOptions,
  type DispatchProgress,
  type DispatchResult,
} from './dispatch.js';
import { DurableLog, type GroupCommit } from './durable-log.js';
import { createSentAtWriter, drainSentAt } from './invites-db.js';
import type { FailedLine, SentLine } from './ledger.js';
import type { SendPlan } from './plan.js';
import { plannedMessages } from './planned.js';
import { redactor } from './redact.js';
import type { ReportInput } from './report.js';
import type { Selection } from './selection.js';

export interface SendOptions {
  /** The output folder, absolute. */
  dir: string;
  /** False: a dry run that sends nothing and writes nothing. */
  confirm: boolean;
  acceptEdits: boolean;
  /** `--embedded`: may record to the embedded database (also `BETA_INVITES_EMBEDDED=1`). */
  embedded?: boolean;
  transport: TransportChoice;
  dispatch: DispatchOptions;
  /** A canary batch: --cohort, --limit. */
  selection?: Selection;
  /** Called once sending starts, with the number of messages to send. */
  onStart?: (total: number) => void;
  onProgress?: (progress: DispatchProgress) => void;
}

export type SendContext = Pick<Context, 'db' | 'clock' | 'signal' | 'settings' | 'cwd'>;

/** The connection holding the send lock, and the signal of its loss. */
interface Session {
  sql: Sql;
  lost: AbortSignal;
}

/** Opens the transport, checks it can work, sends, and closes it whatever happens. */
export async function sendWith(
  plan: SendPlan,
  options: SendOptions,
  session: Session,
  ctx: SendContext,
): Promise<NonNullable<ReportInput['outcome']>> {
  const transport = openTransport(options.transport, {
    concurrency: options.dispatch.concurrency,
    searchPath: ctx.settings.searchPath,
    cwd: ctx.cwd,
  });
  try {
    await transport.verify();
    return await sendPlanned(plan, options, transport, session, ctx);
  } finally {
    await transport.close();
  }
}

/** Opens a log before anything is sent, or says which file cannot be written. */
async function openLog<T>(
  file: string,
  onDurable?: (values: T[]) => void,
  commit?: GroupCommit,
): Promise<DurableLog<T>> {
  try {
    return await DurableLog.open<T>(file, onDurable, commit);
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${errorMessage(error)}`, {
      hint: 'nothing was sent',
    });
  }
}

/** Opens the ledger and the failure log, sends, and closes both whatever happens. */
async function sendPlanned(
  plan: SendPlan,
  options: SendOptions,
  transport: Transport,
  { sql, lost }: Session,
  ctx: SendContext,
): Promise<NonNullable<ReportInput['outcome']>> {
  const dbFailed = new AbortController();
  const writer = createSentAtWriter(sql, lost, () => dbFailed.abort());
  const sentFile = path.join(options.dir, OUTDIR.sent);
  const sentLog = await openLog<SentLine>(
    sentFile,
    (lines) =>
      writer.mark(
        lines.map((l) => l.inviteId),
        ctx.clock(),
      ),
    ledgerCommit(options.dispatch.concurrency),
  );
  const failedLog = await openLog<FailedLine>(path.join(options.dir, OUTDIR.sendFailed)).catch(
    async (error: unknown) => {
      await sentLog.close();
      throw error;
    },
  );
  let result: DispatchResult;
  try {
    options.onStart?.(plan.toSend);
    result = await dispatch(plannedMessages(plan), plan.toSend, options.dispatch, {
      transport,
      sentLog,
      failedLog,
      clock: ctx.clock,
      // A lost session stops the sending too: in-flight messages are recorded in the
      // ledger, and the rest is left for the rerun.
      signal: AbortSignal.any([ctx.signal, dbFailed.signal, lost]),
      redact: redactor(transportSecrets(options.transport)),
      onProgress: options.onProgress,
    });
  } catch (error) {
    // A manifest changed under the run says so itself.
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot write ${sentFile}: ${errorMessage(error)}`, {
      hint: `sending stopped; up to ${inFlight(options.dispatch.concurrency)} message(s) accepted just now may be unrecorded and sent again by a rerun`,
    });
  } finally {
    await sentLog.close();
    await failedLog.close();
  }
  await drainSentAt(writer, (await ctx.db()).label);
  // Lost with nothing left to record: still a lost session, not a finished run.
  if (lost.aborted) throw toError(lost.reason);
  const { sent, failed, retried, remaining, failures, stopped } = result;
  return { sent, failed, retried, remaining, failures, stopped: stopped ?? null };
}
