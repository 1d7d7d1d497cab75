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
  /** Files sent although they changed since render (--accept-edits). */
  edited: string[];
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

/** The report of a run that has not sent anything (yet). */
export function baseReport(
  options: { dir: string; confirm: boolean },
  plan: SendPlan,
  transport: string,
): SendReport {
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
      bounced: count('bounced'),
      expired: count('expired'),
      first: plan.skipped.slice(0, 20),
    },
    edited: plan.edited,
    held: plan.held,
    ...{ sent: 0, failed: 0, retried: 0, remaining: plan.items.length, failures: [] },
    ...{ stopped: null, interrupted: null, elapsedMs: 0 },
    files: {
      sent: path.join(options.dir, OUTDIR.sent),
      failed: path.join(options.dir, OUTDIR.sendFailed),
    },
  };
}
