import path from 'node:path';
import { OUTDIR } from '../outdir/files.js';
import type { SendPlan } from './plan.js';
import type { Held } from './selection.js';

/** What a run did (or, as a dry run, would do). */
export interface SendReport {
  mode: 'dry-run' | 'send';
  dir: string;
  /** The transport, password masked. */
  transport: string;
  /** Dry run: the database a real run would record to (loud when it is the embedded one). */
  database?: string;
  /** Dry run with a command: where it would run from; null when it is not found. */
  commandPath?: string | null;
  total: number;
  toSend: number;
  /** The first recipients to send to. */
  recipients: string[];
  sentBefore: { ledger: number; database: number };
  skipped: {
    redeemed: number;
    /** The address hard-bounced before (see `beta-invites bounces`). */
    bounced: number;
    expired: number;
    first: { email: string; reason: string }[];
  };
  /** Files sent although they changed since render (--accept-edits): the first 1,000. */
  edited: string[];
  /** How many files were sent although they changed since render. */
  editedCount: number;
  /** Pending invitations left for a later run by --limit / --cohort (a canary batch). */
  held: Held;
  sent: number;
  failed: number;
  retried: number;
  remaining: number;
  failures: { email: string; reason: string }[];
  /** Why the run stopped by itself (consecutive failures: the relay is probably down). */
  stopped: string | null;
  /** The signal that interrupted the run. */
  interrupted: string | null;
  elapsedMs: number;
  files: { sent: string; failed: string };
}

/** What a run adds to its plan: the dispatch outcome, and what a dry run found. */
export interface ReportInput {
  options: { dir: string; confirm: boolean };
  plan: SendPlan;
  /** The transport, password masked. */
  transport: string;
  outcome?: Pick<SendReport, 'sent' | 'failed' | 'retried' | 'remaining' | 'failures' | 'stopped'>;
  database?: string;
  commandPath?: string | null;
  interrupted?: string | null;
  elapsedMs?: number;
}

/** The report of a run, built once from its plan and what came of it. */
export function sendReport(input: ReportInput): SendReport {
  const { options, plan } = input;
  const nothingSent = { sent: 0, failed: 0, retried: 0, failures: [], stopped: null };
  return {
    mode: options.confirm ? 'send' : 'dry-run',
    dir: options.dir,
    transport: input.transport,
    ...(input.database === undefined ? {} : { database: input.database }),
    ...(input.commandPath === undefined ? {} : { commandPath: input.commandPath }),
    total: plan.total,
    toSend: plan.toSend,
    recipients: plan.recipients,
    sentBefore: plan.sentBefore,
    skipped: {
      redeemed: plan.skipped.redeemed,
      bounced: plan.skipped.bounced,
      expired: plan.skipped.expired,
      first: plan.skipped.first,
    },
    edited: plan.edited.first,
    editedCount: plan.edited.count,
    held: plan.held,
    ...(input.outcome ?? { ...nothingSent, remaining: plan.toSend }),
    interrupted: input.interrupted ?? null,
    elapsedMs: input.elapsedMs ?? 0,
    files: {
      sent: path.join(options.dir, OUTDIR.sent),
      failed: path.join(options.dir, OUTDIR.sendFailed),
    },
  };
}
