import type { Sql } from 'postgres';
import type { UserError } from '../errors.js';
import type { ManifestEntry } from '../outdir/manifest.js';
import { checkEntry, type SendItem } from './check-files.js';
import { readInviteStates } from './invites-db.js';
import { readLedgerIndex, type LedgerIndex } from './ledger.js';
import { manifestChunks, Sample, type ManifestScan } from './manifest-stream.js';
import { recipientProblems } from './recipients.js';
import { refuse, type Problems } from './refusals.js';
import type { Held, Selection } from './selection.js';

/** Why an invite of the folder is not sent by this run. */
export type SkipReason = 'redeemed' | 'bounced' | 'expired';

/** Per manifest entry (by index) in SendPlan.marks. */
export const MARK = { send: 1, unrecorded: 2, edited: 4 } as const;

/**
 * What a run of `send` would do with the folder, decided before anything is sent. It
 * keeps no list of entries: a byte of marks per entry, the ledger's ids, and the first
 * few of each list a report shows; the sending pass reads the manifest again.
 */
export interface SendPlan {
  scan: ManifestScan;
  /** Invitations in manifest.jsonl. */
  total: number;
  /** To send (marked MARK.send). */
  toSend: number;
  /** The first recipients to send to, in manifest order. */
  recipients: string[];
  /** Already sent: in this folder's ledger, or with sent_at set (by another folder). */
  sentBefore: { ledger: number; database: number };
  skipped: Record<SkipReason, number> & {
    first: { email: string; file: string; reason: SkipReason }[];
  };
  /** Files sent although edited since render (--accept-edits). */
  edited: Sample;
  /** Ledger entries whose sent_at is still null (marked MARK.unrecorded; set before sending). */
  unrecorded: number;
  /** Pending invitations left for a later run by --limit / --cohort. */
  held: Held;
  /** MARK bits of each manifest entry, by index. */
  marks: Uint8Array;
  /** sha256 of the files to send that differ from the manifest's, as checked. */
  digests: Digests;
  /** The folder's ledger as read before sending. */
  ledger: LedgerIndex;
}

export interface PlanOptions {
  /** The folder's manifest, from scanManifest. */
  scan: ManifestScan;
  acceptEdits: boolean;
  sql: Sql;
  /** How messages name the database. */
  where: string;
  now: Date;
  signal: AbortSignal;
  /** A canary batch (--cohort, --limit); all pending invitations without it. */
  selection?: Selection | undefined;
}

/** Manifest entries looked at per round (one database query of each kind). */
export const PLAN_CHUNK = 5_000;

/** Files read between two looks at the abort signal. */
const FILE_CHUNK = 256;

/** 32-byte digests by manifest index, allocated on the first one. */
export class Digests {
  private bytes: Uint8Array | undefined;
  constructor(private readonly total: number) {}
  set(index: number, hex: string): void {
    this.bytes ??= new Uint8Array(this.total * 32);
    this.bytes.set(Buffer.from(hex, 'hex'), index * 32);
  }
  get(index: number): string {
    if (this.bytes === undefined) throw new Error(`no digest kept for entry ${index}`);
    return Buffer.from(this.bytes.subarray(index * 32, index * 32 + 32)).toString('hex');
  }
}

function mark(plan: SendPlan, index: number, bit: number): void {
  plan.marks[index] = (plan.marks[index] ?? 0) | bit;
}

/**
 * Everything `send` checks before sending: ledger, database, files, recipients, one
 * chunk of the manifest at a time. Throws on refusal, after looking at the whole folder.
 */
export async function planSend(options: PlanOptions): Promise<SendPlan> {
  const { scan, selection = {} } = options;
  const ledger = readLedgerIndex(scan.dir);
  const plan: SendPlan = {
    ...{ scan, total: scan.total, toSend: 0, recipients: [] },
    sentBefore: { ledger: 0, database: 0 },
    skipped: { redeemed: 0, bounced: 0, expired: 0, first: [] },
    ...{ edited: new Sample(1_000), unrecorded: 0, held: { limit: 0, cohort: 0 } },
    ...{ marks: new Uint8Array(scan.total), digests: new Digests(scan.total), ledger },
  };
  const problems: Problems = {
    ...{ foreign: new Sample(5), unreadable: undefined, missing: new Sample(5) },
    ...{ mismatched: new Sample(3), wrong: new Sample(3) },
  };
  let chosen = 0;
  for (const { start, entries } of manifestChunks(scan, PLAN_CHUNK)) {
    options.signal.throwIfAborted();
    const ids = entries.map((e) => e.inviteId);
    const states = await readInviteStates(options.sql, ids, options.now);
    const pending: number[] = [];
    entries.forEach((entry, k) => {
      const index = start + k;
      const state = states.get(entry.inviteId);
      const sentAt = ledger.get(entry.inviteId);
      const skip = (reason: SkipReason) => {
        plan.skipped[reason]++;
        if (plan.skipped.first.length < 20)
          plan.skipped.first.push({ email: entry.email, file: entry.file, reason });
      };
      if (state === undefined && sentAt === undefined) problems.foreign.add(entry.email);
      if (sentAt !== undefined) {
        plan.sentBefore.ledger++;
        if (!state?.sent) {
          mark(plan, index, MARK.unrecorded);
          plan.unrecorded++;
        }
      } else if (state?.sent) plan.sentBefore.database++;
      else if (state?.redeemed) skip('redeemed');
      else if (state?.bounced) skip('bounced');
      else if (state?.expired) skip('expired');
      else if (selection.cohort !== undefined && entry.cohort !== selection.cohort)
        plan.held.cohort++;
      else if (selection.limit !== undefined && chosen >= selection.limit) plan.held.limit++;
      else {
        chosen++;
        pending.push(k);
      }
    });
    // Refused whatever the files say: reading them would be wasted.
    if (problems.foreign.count > 0 || problems.unreadable !== undefined) continue;
    await checkChunk(options, plan, problems, { start, entries, pending });
  }
  refuse(options, plan, problems);
  return plan;
}

/** Reads the pending files of one chunk, and checks their recipients in the database. */
async function checkChunk(
  options: PlanOptions,
  plan: SendPlan,
  problems: Problems,
  chunk: { start: number; entries: ManifestEntry[]; pending: number[] },
): Promise<void> {
  const items: { index: number; item: SendItem }[] = [];
  for (let i = 0; i < chunk.pending.length; i += FILE_CHUNK) {
    options.signal.throwIfAborted();
    for (const k of chunk.pending.slice(i, i + FILE_CHUNK)) {
      const entry = chunk.entries[k];
      if (entry === undefined) continue;
      let found;
      try {
        found = checkEntry(options.scan.dir, entry);
      } catch (error) {
        problems.unreadable = error as UserError;
        return;
      }
      if (found.kind === 'missing') problems.missing.add(entry.file);
      else if (found.kind === 'mismatched') problems.mismatched.add(found.text);
      else {
        if (found.edited) plan.edited.add(entry.file);
        items.push({ index: chunk.start + k, item: found.item });
      }
    }
    // Let Ctrl-C and timers in between.
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const text of await recipientProblems(
    options.sql,
    items.map((i) => i.item),
  ))
    problems.wrong.add(text);
  for (const { index, item } of items) {
    mark(plan, index, MARK.send);
    if (item.sha256 !== chunk.entries[index - chunk.start]?.sha256) {
      mark(plan, index, MARK.edited);
      plan.digests.set(index, item.sha256);
    }
    plan.toSend++;
    if (plan.recipients.length < 10) plan.recipients.push(item.email);
  }
}
