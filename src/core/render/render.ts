import type { Sql } from 'postgres';
import type { CohortHeader } from '../cohort/header.js';
import { readCohortRows, type CohortRow } from '../cohort/rows.js';
import { isFailedCsvRerun } from '../cohort/validate.js';
import type { Context } from '../context.js';
import { releaseOutDir } from '../outdir/lock.js';
import type { ComposeSettings } from './compose.js';
import { InlineEmitter, type EmlItem, type Emitter } from './emit.js';
import { InvitationBuilder } from './invitation-builder.js';
import { WorkerPool } from './pool.js';
import type { TemplateSources } from './templates.js';
import { inviteBatch, type InviteOptions, type InviteOutcome } from './invites.js';
import { FailedCsvWriter, ManifestWriter, emlFileName, type FailedRow } from './outdir.js';
import type { ManifestEntry } from '../outdir/manifest.js';
import { previewInvites } from './preview.js';
import { readPreviousManifest } from './previous-manifest.js';

/** What `render` needs besides the context. */
export interface RenderPlan {
  file: string;
  out: string;
  /** Recipients in the file (from validation), for numbering and progress. */
  total: number;
  compose: ComposeSettings;
  /** Undefined for `--dry-run`: preview codes, no database. */
  invites?: InviteOptions & { sql: Sql };
  /** For `--dry-run`: the clock and validity of the preview invites. */
  preview: { now: Date; expiresInMs: number };
  batchSize: number;
  /** Worker threads that build and write the messages (at most one per 64 recipients); 1: the main thread. */
  jobs?: number;
  /** The templates' text, for the worker threads to compile. */
  sources?: TemplateSources;
  onProgress?: (done: number, total: number) => void;
}

/** What a run did. */
export interface RenderStats {
  rendered: number;
  created: number;
  reused: number;
  failed: number;
  interrupted: boolean;
  failedCsv?: string;
}

type Batch = CohortRow[];

async function* batches(
  file: string,
  size: number,
  header: { value?: CohortHeader },
): AsyncGenerator<Batch> {
  let batch: Batch = [];
  for await (const item of readCohortRows(file)) {
    if ('columns' in item) {
      header.value = item;
      continue;
    }
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Invites, renders and records every recipient of a validated cohort. The database work
 * of batch k+1 runs while batch k is composed and written, so it hides behind rendering.
 * An .eml is written only for a committed invite; failures go to failed.csv.
 */
export async function renderCohort(
  plan: RenderPlan,
  ctx: Pick<Context, 'signal'>,
): Promise<RenderStats> {
  try {
    return await renderAll(plan, ctx);
  } finally {
    // Taken by prepareOutDir; held until the manifest and failed.csv are in place.
    releaseOutDir(plan.out);
  }
}

/** Batches given to the builders and not yet in the manifest, beyond the one at hand. */
const AHEAD = 2;

/** A batch being built: its manifest entries once the files are written. */
interface InFlight {
  outcomes: InviteOutcome[];
  entries: Omit<ManifestEntry, 'sha256'>[];
  shas: Promise<string[]>;
}

/** Recipients a worker thread must have to be worth starting (it loads the composer). */
const PER_WORKER = 64;

function emitterFor(plan: RenderPlan): Emitter {
  const jobs = Math.min(plan.jobs ?? 1, Math.floor(plan.total / PER_WORKER));
  if (jobs <= 1 || !plan.sources)
    return new InlineEmitter(new InvitationBuilder(plan.compose), plan.out);
  const { sender, timeZone } = plan.compose;
  return new WorkerPool(jobs, { dir: plan.out, sender, timeZone, sources: plan.sources });
}

async function renderAll(plan: RenderPlan, ctx: Pick<Context, 'signal'>): Promise<RenderStats> {
  const previous = readPreviousManifest(plan);
  const width = Math.max(5, String(plan.total + previous.size).length);
  let nextSeq = previous.nextSeq;
  const manifest = new ManifestWriter(plan.out);
  const failed = new FailedCsvWriter(plan.out);
  const stats: RenderStats = { rendered: 0, created: 0, reused: 0, failed: 0, interrupted: false };
  const header: { value?: CohortHeader } = {};
  const invite = (batch: Batch): Promise<InviteOutcome[]> => {
    const outcomes = plan.invites
      ? inviteBatch(plan.invites.sql, batch, plan.invites)
      : Promise.resolve(previewInvites(batch, plan.preview.now, plan.preview.expiresInMs));
    // Awaited only once the batch before is rendered: a failure in between (the database
    // went away) must reach that await, not kill the process as an unhandled rejection.
    outcomes.catch(() => {});
    return outcomes;
  };
  const emitter = emitterFor(plan);
  const inFlight: InFlight[] = [];
  const settle = async (batch: InFlight): Promise<void> => {
    const shas = await batch.shas;
    manifest.add(
      batch.entries.map((entry, i) => {
        const { line, preview, ...rest } = entry;
        return { ...rest, sha256: shas[i] ?? '', line, ...(preview ? { preview } : {}) };
      }),
    );
    count(stats, batch.outcomes);
    plan.onProgress?.(stats.rendered + stats.failed, plan.total);
  };
  const source = batches(plan.file, plan.batchSize, header);
  try {
    let current = await source.next();
    let pending = current.done ? undefined : invite(current.value);
    const subset = isFailedCsvRerun(plan.file, header.value?.columns ?? []);
    while (!current.done && pending) {
      const batch = current.value;
      // The reason of an earlier failure is not a template variable.
      if (subset) for (const row of batch) delete row.extras.error;
      const outcomes = await pending;
      current = ctx.signal.aborted ? { done: true, value: undefined } : await source.next();
      pending = current.done ? undefined : invite(current.value);
      const rejected: FailedRow[] = [];
      const { items, entries } = prepareBatch(
        batch,
        outcomes,
        plan,
        (row) => {
          const old = previous.find(row.email, row.cohort);
          if (!old) return emlFileName(nextSeq++, width, row.email);
          previous.touch(old.slot);
          return old.file;
        },
        rejected,
      );
      failed.add(header.value?.columns ?? [], rejected);
      const shas = emitter.emit(items);
      // Awaited in turn below; a failure before then must not be an unhandled rejection.
      shas.catch(() => {});
      inFlight.push({ outcomes, entries, shas });
      while (inFlight.length > AHEAD) await settle(inFlight.shift() as InFlight);
    }
    for (let batch = inFlight.shift(); batch; batch = inFlight.shift()) await settle(batch);
    stats.interrupted = ctx.signal.aborted;
    // A batch already sent to the database when Ctrl-C came: let it finish, render it.
    manifest.commit(previous);
  } catch (error) {
    manifest.abort();
    failed.abort();
    throw error;
  } finally {
    // Closes the cohort file when a failure or Ctrl-C left the rows unread.
    await source.return(undefined);
    previous.close();
    await emitter.close();
  }
  stats.failedCsv = failed.commit();
  return stats;
}

function count(stats: RenderStats, outcomes: InviteOutcome[]): void {
  for (const outcome of outcomes) {
    if (!outcome.ok) stats.failed++;
    else {
      stats.rendered++;
      if (outcome.invite.created) stats.created++;
      else stats.reused++;
    }
  }
}

/** The messages of a batch's committed invites, and their manifest entries but the sha256. */
function prepareBatch(
  batch: Batch,
  outcomes: InviteOutcome[],
  plan: RenderPlan,
  nameFor: (row: CohortRow) => string,
  failed: FailedRow[],
): { items: EmlItem[]; entries: Omit<ManifestEntry, 'sha256'>[] } {
  const items: EmlItem[] = [];
  const entries: Omit<ManifestEntry, 'sha256'>[] = [];
  for (const [i, row] of batch.entries()) {
    const outcome = outcomes[i];
    if (!outcome?.ok) {
      failed.push({ fields: row.fields, error: outcome?.error ?? 'no result' });
      continue;
    }
    const { invite } = outcome;
    const file = nameFor(row);
    items.push({
      file,
      invitation: {
        inviteId: invite.id,
        code: invite.code,
        email: row.email,
        cohort: row.cohort,
        expiresAt: invite.expiresAt,
        createdAt: invite.createdAt,
        extras: row.extras,
        preview: !plan.invites,
      },
    });
    entries.push({
      email: row.email,
      cohort: row.cohort,
      inviteId: invite.id,
      code: invite.code,
      expiresAt: invite.expiresAt.toISOString(),
      file,
      line: row.line,
      ...(plan.invites ? {} : { preview: true }),
    });
  }
  return { items, entries };
}
