import path from 'node:path';
import type { Sql } from 'postgres';
import type { Context } from '../context.js';
import { isConnectionError } from '../db/connection-loss.js';
import { redactUrls } from '../db/url.js';
import { UserError, errorMessage, toError } from '../errors.js';
import { defaultMigrationsDir } from '../migrations/files.js';
import { assertMigrated } from '../migrations/migrate.js';
import { OUTDIR } from '../outdir/files.js';
import {
  describeTransport,
  locateCommand,
  openTransport,
  transportSecrets,
  type TransportChoice,
} from '../transports/choose.js';
import type { Transport } from '../transports/transport.js';
import {
  dispatch,
  type DispatchOptions,
  type DispatchProgress,
  type DispatchResult,
} from './dispatch.js';
import { DurableLog } from './durable-log.js';
import { backfillSentAt, createSentAtWriter, type SentAtWriter } from './invites-db.js';
import type { FailedLine, SentLine } from './ledger.js';
import { loadManifest, planSend, type SendPlan } from './plan.js';
import { redactor } from './redact.js';
import { baseReport, type SendReport } from './report.js';
import { withSendLock } from './send-lock.js';
import { assertCohortKnown, type Selection } from './selection.js';

export type { SendReport } from './report.js';

export interface SendOptions {
  /** The output folder, absolute. */
  dir: string;
  /** False: a dry run that sends nothing and writes nothing. */
  confirm: boolean;
  acceptEdits: boolean;
  transport: TransportChoice;
  dispatch: DispatchOptions;
  /** A canary batch: --cohort, --limit. */
  selection?: Selection;
  /** Called once sending starts, with the number of messages to send. */
  onStart?: (total: number) => void;
  onProgress?: (progress: DispatchProgress) => void;
}

type SendContext = Pick<Context, 'db' | 'clock' | 'signal' | 'settings' | 'cwd'>;

/**
 * `send`: checks the folder (manifest, previews, edits, ledger, database), then — only
 * with `confirm` — hands each pending message to the transport exactly once.
 */
export async function sendInvites(options: SendOptions, ctx: SendContext): Promise<SendReport> {
  const started = performance.now();
  const label = describeTransport(options.transport);
  const entries = loadManifest(options.dir);
  assertCohortKnown(entries, options.selection?.cohort);
  const db = await ctx.db();
  await assertMigrated(db.sql, defaultMigrationsDir, db.label);
  const plan = (sql: Sql) =>
    planSend({ ...options, entries, sql, where: db.label, now: ctx.clock(), signal: ctx.signal });
  if (!options.confirm) {
    const report = baseReport(options, await plan(db.sql), label);
    if (options.transport.kind === 'command') {
      report.commandPath =
        locateCommand(options.transport, ctx.settings.searchPath, ctx.cwd) ?? null;
    }
    return report;
  }
  const report = await withSendLock(db.sql, db.label, async (conn) => {
    const planned = await plan(conn);
    const report = baseReport(options, planned, label);
    if (planned.unrecorded.length > 0) await backfillSentAt(conn, planned.unrecorded);
    if (planned.items.length > 0)
      Object.assign(report, await sendWith(planned, options, conn, ctx));
    return report;
  });
  report.interrupted = ctx.signal.aborted ? errorMessage(ctx.signal.reason) : null;
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}

/** Opens the transport, checks it can work, sends, and closes it whatever happens. */
async function sendWith(
  plan: SendPlan,
  options: SendOptions,
  sql: Sql,
  ctx: SendContext,
): Promise<Partial<SendReport>> {
  const transport = openTransport(options.transport, {
    concurrency: options.dispatch.lanes,
    searchPath: ctx.settings.searchPath,
    cwd: ctx.cwd,
  });
  try {
    await transport.verify();
    return await sendPlanned(plan, options, transport, sql, ctx);
  } finally {
    await transport.close();
  }
}

/** Opens a log before anything is sent, or says which file cannot be written. */
async function openLog<T>(file: string, onDurable?: (values: T[]) => void): Promise<DurableLog<T>> {
  try {
    return await DurableLog.open<T>(file, onDurable);
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
  sql: Sql,
  ctx: SendContext,
): Promise<Partial<SendReport>> {
  const dbFailed = new AbortController();
  const writer = createSentAtWriter(sql, () => dbFailed.abort());
  const sentFile = path.join(options.dir, OUTDIR.sent);
  const sentLog = await openLog<SentLine>(sentFile, (lines) =>
    writer.mark(
      lines.map((l) => l.inviteId),
      ctx.clock(),
    ),
  );
  const failedLog = await openLog<FailedLine>(path.join(options.dir, OUTDIR.sendFailed)).catch(
    async (error: unknown) => {
      await sentLog.close();
      throw error;
    },
  );
  let result: DispatchResult;
  try {
    options.onStart?.(plan.items.length);
    result = await dispatch(plan.items, options.dispatch, {
      transport,
      sentLog,
      failedLog,
      clock: ctx.clock,
      signal: AbortSignal.any([ctx.signal, dbFailed.signal]),
      redact: redactor(transportSecrets(options.transport)),
      onProgress: options.onProgress,
    });
  } catch (error) {
    throw new UserError(`cannot write ${sentFile}: ${errorMessage(error)}`, {
      hint: `sending stopped; up to ${options.dispatch.concurrency} message(s) accepted just now may be unrecorded and sent again by a rerun`,
    });
  } finally {
    await sentLog.close();
    await failedLog.close();
  }
  await drainSentAt(writer, (await ctx.db()).label);
  const { sent, failed, retried, remaining, failures, stopped } = result;
  return { sent, failed, retried, remaining, failures, stopped: stopped ?? null };
}

/**
 * Waits for the sent_at updates. One that failed stops the run with one line, as a
 * database problem (not as the relay's); sent.jsonl is complete and a rerun records it.
 * A lost session is left to withSendLock, which must not touch its connection again.
 */
async function drainSentAt(writer: SentAtWriter, where: string): Promise<void> {
  const error = await writer.drain().then(
    () => undefined,
    (e: unknown) => toError(e),
  );
  if (error === undefined) return;
  if (isConnectionError(error)) throw error;
  throw new UserError(
    `sending stopped: the database at ${where} did not record what was sent: ${redactUrls(errorMessage(error))}`,
    {
      hint: "every message sent is in the folder's sent.jsonl: rerun the same command to record them and send the rest, none twice",
    },
  );
}
