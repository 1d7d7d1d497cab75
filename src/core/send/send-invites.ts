import path from 'node:path';
import type { Sql } from 'postgres';
import type { Context } from '../context.js';
import { redactUrls } from '../db/url.js';
import { UserError, errorMessage } from '../errors.js';
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
import { backfillSentAt, createSentAtWriter } from './invites-db.js';
import type { FailedLine, SentLine } from './ledger.js';
import { loadManifest, planSend, type SendPlan } from './plan.js';
import { redactor } from './redact.js';

export interface SendOptions {
  /** The output folder, absolute. */
  dir: string;
  /** False: a dry run that sends nothing and writes nothing. */
  confirm: boolean;
  acceptEdits: boolean;
  transport: TransportChoice;
  dispatch: DispatchOptions;
  /** Called once sending starts, with the number of messages to send. */
  onStart?: (total: number) => void;
  onProgress?: (progress: DispatchProgress) => void;
}

/** What a run did (or, as a dry run, would do). */
export interface SendReport {
  mode: 'dry-run' | 'send';
  dir: string;
  /** The transport, password masked. */
  transport: string;
  /** Dry run with a command: where it would run from; null when it is not found. */
  commandPath?: string | null;
  total: number;
  toSend: number;
  /** The first recipients to send to. */
  recipients: string[];
  sentBefore: { ledger: number; database: number };
  skipped: { redeemed: number; expired: number; first: { email: string; reason: string }[] };
  /** Files sent although they changed since render (--accept-edits). */
  edited: string[];
  sent: number;
  failed: number;
  retried: number;
  remaining: number;
  failures: { email: string; reason: string }[];
  /** Why the run stopped by itself (consecutive failures, database failure). */
  stopped: string | null;
  /** The signal that interrupted the run. */
  interrupted: string | null;
  elapsedMs: number;
  files: { sent: string; failed: string };
}

type SendContext = Pick<Context, 'db' | 'clock' | 'signal' | 'settings' | 'cwd'>;

function baseReport(options: SendOptions, plan: SendPlan, transport: string): SendReport {
  const count = (reason: string) => plan.skipped.filter((s) => s.reason === reason).length;
  return {
    mode: options.confirm ? 'send' : 'dry-run',
    dir: options.dir,
    transport,
    total: plan.total,
    toSend: plan.items.length,
    recipients: plan.items.slice(0, 10).map((i) => i.email),
    sentBefore: plan.sentBefore,
    skipped: {
      redeemed: count('redeemed'),
      expired: count('expired'),
      first: plan.skipped.slice(0, 20),
    },
    edited: plan.edited,
    ...{ sent: 0, failed: 0, retried: 0, remaining: plan.items.length, failures: [] },
    ...{ stopped: null, interrupted: null, elapsedMs: 0 },
    files: {
      sent: path.join(options.dir, OUTDIR.sent),
      failed: path.join(options.dir, OUTDIR.sendFailed),
    },
  };
}

/**
 * `send`: checks the folder (manifest, previews, edits, ledger, database), then — only
 * with `confirm` — hands each pending message to the transport exactly once.
 */
export async function sendInvites(options: SendOptions, ctx: SendContext): Promise<SendReport> {
  const started = performance.now();
  const label = describeTransport(options.transport);
  const entries = loadManifest(options.dir);
  const db = await ctx.db();
  await assertMigrated(db.sql, defaultMigrationsDir, db.label);
  const plan = await planSend({
    ...options,
    entries,
    sql: db.sql,
    where: db.label,
    now: ctx.clock(),
    signal: ctx.signal,
  });
  const report = baseReport(options, plan, label);
  if (!options.confirm) {
    if (options.transport.kind === 'command') {
      report.commandPath =
        locateCommand(options.transport, ctx.settings.searchPath, ctx.cwd) ?? null;
    }
    return report;
  }
  if (plan.unrecorded.length > 0) await backfillSentAt(db.sql, plan.unrecorded);
  if (plan.items.length > 0) {
    const transport = openTransport(options.transport, {
      concurrency: options.dispatch.lanes,
      searchPath: ctx.settings.searchPath,
      cwd: ctx.cwd,
    });
    try {
      await transport.verify();
      Object.assign(report, await sendPlanned(plan, options, transport, db.sql, ctx));
    } finally {
      await transport.close();
    }
  }
  report.interrupted = ctx.signal.aborted ? errorMessage(ctx.signal.reason) : null;
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
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
  const sentLog = await DurableLog.open<SentLine>(sentFile, (lines) =>
    writer.mark(
      lines.map((l) => l.inviteId),
      ctx.clock(),
    ),
  );
  const failedLog = await DurableLog.open<FailedLine>(path.join(options.dir, OUTDIR.sendFailed));
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
    throw new UserError(
      `cannot write ${sentFile}: ${errorMessage(error)}`,
      1,
      `sending stopped; up to ${options.dispatch.concurrency} message(s) accepted just now may be unrecorded and sent again by a rerun`,
    );
  } finally {
    await sentLog.close();
    await failedLog.close();
  }
  const dbError = await writer.drain().then(
    () => undefined,
    (error: unknown) => error,
  );
  const stopped = dbError
    ? `the database update of sent_at failed (${redactUrls(errorMessage(dbError))}); sent.jsonl is complete and a rerun sets it`
    : result.stopped;
  const { sent, failed, retried, remaining, failures } = result;
  return { sent, failed, retried, remaining, failures, stopped: stopped ?? null };
}
