import fs from 'node:fs';
import type { Sql } from 'postgres';
import { UserError } from '../errors.js';
import { readManifest, type ManifestEntry } from '../outdir/manifest.js';
import { checkFiles, type SendItem } from './check-files.js';
import { readInviteStates, type InviteState } from './invites-db.js';
import { readSentLedger } from './ledger.js';
import { checkRecipients } from './recipients.js';
import { selectPending, type Held, type Selection } from './selection.js';

/** Why an invite of the folder is not sent by this run. */
export type SkipReason = 'redeemed' | 'bounced' | 'expired';

/** What a run of `send` would do with the folder, decided before anything is sent. */
export interface SendPlan {
  /** Invitations in manifest.jsonl. */
  total: number;
  /** To send, in manifest order. */
  items: SendItem[];
  /** Already sent: in this folder's ledger, or with sent_at set (by another folder). */
  sentBefore: { ledger: number; database: number };
  skipped: { email: string; file: string; reason: SkipReason }[];
  /** Files sent although edited since render (--accept-edits). */
  edited: string[];
  /** Ledger entries whose sent_at is still null (to set before sending). */
  unrecorded: { id: string; at: string }[];
  /** Pending invitations left for a later run by --limit / --cohort. */
  held: Held;
}

export interface PlanOptions {
  dir: string;
  /** The folder's manifest, from loadManifest. */
  entries: ManifestEntry[];
  acceptEdits: boolean;
  sql: Sql;
  /** How messages name the database. */
  where: string;
  now: Date;
  signal: AbortSignal;
  /** A canary batch (--cohort, --limit); all pending invitations without it. */
  selection?: Selection | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function list(values: string[], max = 5): string {
  return (
    values.slice(0, max).join(', ') + (values.length > max ? `, … (${values.length} in all)` : '')
  );
}

/** Reads the folder's manifest, refusing previews, duplicates and broken entries. */
export function loadManifest(dir: string): ManifestEntry[] {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`${dir} is not a folder`, {
      hint: 'pass the folder beta-invites render wrote (its --out)',
    });
  }
  const entries = readManifest(dir);
  if (entries.some((e) => e.preview === true)) {
    throw new UserError(
      `${dir} was rendered with --dry-run: its codes are previews, not invitations`,
      {
        hint: `render it for real (beta-invites render COHORT.csv --out ${dir}), review it, then send`,
      },
    );
  }
  const bad = entries.filter((e) => !UUID.test(e.inviteId)).map((e) => e.file);
  if (bad.length > 0)
    throw new UserError(`manifest.jsonl has invite ids that are not UUIDs: ${list(bad)}`, {
      hint: 'rerun beta-invites render',
    });
  const seen = new Map<string, string>();
  for (const e of entries) {
    for (const key of [e.inviteId, e.email.toLowerCase()]) {
      const first = seen.get(key);
      if (first !== undefined) {
        throw new UserError(`manifest.jsonl lists ${key} twice (${first} and ${e.file})`, {
          hint: 'rerun beta-invites render',
        });
      }
      seen.set(key, e.file);
    }
  }
  return entries;
}

/** Everything `send` checks before sending: ledger, database, files. Throws on refusal. */
export async function planSend(options: PlanOptions): Promise<SendPlan> {
  const { entries } = options;
  const ledger = readSentLedger(options.dir);
  const ids = entries.map((e) => e.inviteId);
  const states = await readInviteStates(options.sql, ids, options.now);
  refuseForeign(entries, states, ledger, options.where);
  const { plan, pending: all } = sortEntries(entries, states, ledger);
  const { selected: pending, held } = selectPending(all, options.selection);
  plan.held = held;
  const checked = await checkFiles(options.dir, pending, options.signal);
  refuseProblems(options.dir, checked.missing, checked.mismatched);
  if (checked.edited.length > 0 && !options.acceptEdits) {
    throw new UserError(
      `${checked.edited.length} file(s) changed since render (sha256 differs from manifest.jsonl): ${list(checked.edited)}`,
      {
        hint: 'review the changes: rerun beta-invites render to rebuild them, or pass --accept-edits to send them as they are now',
      },
    );
  }
  await checkRecipients(options.sql, options.dir, checked.items);
  plan.items = checked.items;
  plan.edited = checked.edited;
  return plan;
}

/** Invites unknown to this database (and not sent from here): the wrong database, surely. */
function refuseForeign(
  entries: ManifestEntry[],
  states: Map<string, InviteState>,
  ledger: Map<string, string>,
  where: string,
): void {
  const missing = entries
    .filter((e) => !states.has(e.inviteId) && !ledger.has(e.inviteId))
    .map((e) => e.email);
  if (missing.length === 0) return;
  throw new UserError(
    `${missing.length} invite(s) of the folder are not in the database at ${where}: ${list(missing)}`,
    {
      hint: 'send with the database render used (DATABASE_URL, or BETA_INVITES_HOME for the embedded one)',
    },
  );
}

/** Sent before (ledger first, then sent_at), skipped (redeemed, hard-bounced, expired), or pending. */
function sortEntries(
  entries: ManifestEntry[],
  states: Map<string, InviteState>,
  ledger: Map<string, string>,
): { plan: SendPlan; pending: ManifestEntry[] } {
  const plan: SendPlan = {
    ...{ total: entries.length, items: [], sentBefore: { ledger: 0, database: 0 } },
    ...{ skipped: [], edited: [], unrecorded: [], held: { limit: 0, cohort: 0 } },
  };
  const pending: ManifestEntry[] = [];
  for (const entry of entries) {
    const state = states.get(entry.inviteId);
    const sentAt = ledger.get(entry.inviteId);
    const skip = (reason: SkipReason) =>
      plan.skipped.push({ email: entry.email, file: entry.file, reason });
    if (sentAt !== undefined) {
      plan.sentBefore.ledger++;
      if (!state?.sent) plan.unrecorded.push({ id: entry.inviteId, at: sentAt });
    } else if (state?.sent) plan.sentBefore.database++;
    else if (state?.redeemed) skip('redeemed');
    else if (state?.bounced) skip('bounced');
    else if (state?.expired) skip('expired');
    else pending.push(entry);
  }
  return { plan, pending };
}

export function refuseProblems(dir: string, missing: string[], mismatched: string[]): void {
  if (missing.length > 0) {
    throw new UserError(
      `${missing.length} file(s) of manifest.jsonl are missing in ${dir}: ${list(missing)}`,
      { hint: 'rerun beta-invites render to rebuild them' },
    );
  }
  if (mismatched.length > 0) {
    throw new UserError(
      `${mismatched.length} file(s) do not match their manifest entry: ${list(mismatched, 3)}`,
      {
        hint: 'the recipient and invite of a file cannot change, even with --accept-edits: rerun beta-invites render',
      },
    );
  }
}
