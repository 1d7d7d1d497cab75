import type { Sql } from 'postgres';
import type { Database } from '../db/database.js';
import { databaseProblem } from '../db/query-errors.js';
import { requireMigrated } from '../db/require-migrated.js';
import { unlessLost } from '../db/session-loss.js';
import { errorMessage } from '../errors.js';
import { assertOutDirFree } from '../outdir/lock.js';
import { checkTransport, describeTransport, locateCommand } from '../transports/choose.js';
import { assertSendDatabase, sendDatabaseLine } from './embedded-guard.js';
import { backfillSentAt } from './invites-db.js';
import { scanManifest, type ManifestScan } from './manifest-stream.js';
import { planSend } from './plan.js';
import { unrecordedChunks } from './planned.js';
import { sendReport, type SendReport } from './report.js';
import { sendWith, type SendContext, type SendOptions } from './send-session.js';
import { withSendLock } from './send-lock.js';

export type { SendReport } from './report.js';

export type { SendOptions } from './send-session.js';

/**
 * `send`: checks the folder (manifest, previews, edits, ledger, database), then — only
 * with `confirm` — hands each pending message to the transport exactly once.
 */
export async function sendInvites(options: SendOptions, ctx: SendContext): Promise<SendReport> {
  const started = performance.now();
  // A render still writing the folder would change the manifest under this run.
  assertOutDirFree(options.dir, 'send');
  const scan = scanManifest(options.dir, options.selection?.cohort);
  const db = await ctx.db();
  try {
    return await sendFrom(db, { started, scan }, options, ctx);
  } catch (error) {
    throw databaseProblem(error, db.label) ?? error;
  }
}

/** sendInvites on its database, once open. */
async function sendFrom(
  db: Database,
  { started, scan }: { started: number; scan: ManifestScan },
  options: SendOptions,
  ctx: SendContext,
): Promise<SendReport> {
  const label = describeTransport(options.transport);
  const embeddedPermitted = options.embedded === true;
  if (options.confirm) assertSendDatabase(db, embeddedPermitted);
  await requireMigrated(db);
  const plan = (sql: Sql) =>
    planSend({ ...options, scan, sql, where: db.label, now: ctx.clock(), signal: ctx.signal });
  if (!options.confirm) {
    const planned = await plan(db.sql);
    // The dry run stands for the real one: it fails where the real one would, unsent.
    if (planned.toSend > 0)
      await checkTransport(options.transport, {
        searchPath: ctx.settings.searchPath,
        cwd: ctx.cwd,
      });
    const commandPath =
      options.transport.kind === 'command'
        ? (locateCommand(options.transport, ctx.settings.searchPath, ctx.cwd) ?? null)
        : undefined;
    const database = sendDatabaseLine(db, embeddedPermitted);
    return sendReport({ options, plan: planned, transport: label, database, commandPath });
  }
  const { planned, outcome } = await withSendLock(db.sql, db.label, async (conn, lost) => {
    // Before sending, a lost session just ends the run (a query on it would never settle).
    const planned = await unlessLost(plan(conn), lost);
    for (const chunk of unrecordedChunks(planned)) {
      await unlessLost(backfillSentAt(conn, chunk), lost);
    }
    const outcome =
      planned.toSend > 0 ? await sendWith(planned, options, { sql: conn, lost }, ctx) : undefined;
    return { planned, outcome };
  });
  return sendReport({
    options,
    plan: planned,
    transport: label,
    outcome,
    interrupted: ctx.signal.aborted ? errorMessage(ctx.signal.reason) : null,
    elapsedMs: Math.round(performance.now() - started),
  });
}
