import path from 'node:path';
import type { Sql } from 'postgres';
import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import { databaseProblem } from '../db/query-errors.js';
import { requireMigrated } from '../db/require-migrated.js';
import { unlessLost } from '../db/session-loss.js';
import { UserError, errorMessage, toError } from '../errors.js';
import { OUTDIR } from '../outdir/files.js';
import { assertOutDirFree } from '../outdir/lock.js';
import type { ManifestEntry } from '../outdir/manifest.js';
import {
  checkTransport,
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
import { assertSendDatabase, sendDatabaseLine } from './embedded-guard.js';
import { backfillSentAt, createSentAtWriter, drainSentAt } from './invites-db.js';
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

type SendContext = Pick<Context, 'db' | 'clock' | 'signal' | 'settings' | 'cwd'>;

/**
 * `send`: checks the folder (manifest, previews, edits, ledger, database), then — only
 * with `confirm` — hands each pending message to the transport exactly once.
 */
export async function sendInvites(options: SendOptions, ctx: SendContext): Promise<SendReport> {
  const started = performance.now();
  // A render still writing the folder would change the manifest under this run.
  assertOutDirFree(options.dir, 'send');
  const entries = loadManifest(options.dir);
  assertCohortKnown(entries, options.selection?.cohort);
  const db = await ctx.db();
  try {
    return await sendFrom(db, { started, entries }, options, ctx);
  } catch (error) {
    throw databaseProblem(error, db.label) ?? error;
  }
}

/** sendInvites on its database, once open. */
async function sendFrom(
  db: Database,
  { started, entries }: { started: number; entries: ManifestEntry[] },
  options: SendOptions,
  ctx: SendContext,
): Promise<SendReport> {
  const label = describeTransport(options.transport);
  const embeddedPermitted = options.embedded === true;
  if (options.confirm) assertSendDatabase(db, embeddedPermitted);
  await requireMigrated(db);
  const plan = (sql: Sql) =>
    planSend({ ...options, entries, sql, where: db.label, now: ctx.clock(), signal: ctx.signal });
  if (!options.confirm) {
    const planned = await plan(db.sql);
    // The dry run stands for the real one: it fails where the real one would, unsent.
    if (planned.items.length > 0)
      await checkTransport(options.transport, {
        searchPath: ctx.settings.searchPath,
        cwd: ctx.cwd,
      });
    const report = baseReport(options, planned, label);
    report.database = sendDatabaseLine(db, embeddedPermitted);
    if (options.transport.kind === 'command') {
      report.commandPath =
        locateCommand(options.transport, ctx.settings.searchPath, ctx.cwd) ?? null;
    }
    return report;
  }
  const report = await withSendLock(db.sql, db.label, async (conn, lost) => {
    // Before sending, a lost session just ends the run (a query on it would never settle).
    const planned = await unlessLost(plan(conn), lost);
    const report = baseReport(options, planned, label);
    if (planned.unrecorded.length > 0) {
      await unlessLost(backfillSentAt(conn, planned.unrecorded), lost);
    }
    if (planned.items.length > 0)
      Object.assign(report, await sendWith(planned, options, { sql: conn, lost }, ctx));
    return report;
  });
  report.interrupted = ctx.signal.aborted ? errorMessage(ctx.signal.reason) : null;
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}

/** The connection holding the send lock, and the signal of its loss. */
interface Session {
  sql: Sql;
  lost: AbortSignal;
}

/** Opens the transport, checks it can work, sends, and closes it whatever happens. */
async function sendWith(
  plan: SendPlan,
  options: SendOptions,
  session: Session,
  ctx: SendContext,
): Promise<Partial<SendReport>> {
  const transport = openTransport(options.transport, {
    concurrency: options.dispatch.lanes,
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
  { sql, lost }: Session,
  ctx: SendContext,
): Promise<Partial<SendReport>> {
  const dbFailed = new AbortController();
  const writer = createSentAtWriter(sql, lost, () => dbFailed.abort());
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
      // A lost session stops the sending too: in-flight messages are recorded in the
      // ledger, and the rest is left for the rerun.
      signal: AbortSignal.any([ctx.signal, dbFailed.signal, lost]),
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
  // Lost with nothing left to record: still a lost session, not a finished run.
  if (lost.aborted) throw toError(lost.reason);
  const { sent, failed, retried, remaining, failures, stopped } = result;
  return { sent, failed, retried, remaining, failures, stopped: stopped ?? null };
}
