import type { Sql } from 'postgres';
import { withAdvisoryLock } from '../db/advisory-lock.js';
import { LOCKS } from '../db/locks.js';
import { withTransaction, type Queries } from '../db/transaction.js';

/** Advisory lock key held by `sweep` (the registry's, under its historical name). */
export const SWEEP_LOCK = LOCKS.sweep.key;

/** The placeholder domain of anonymised addresses: `.invalid` can never receive mail (RFC 2606). */
export const ANONYMIZED_DOMAIN = 'invalid';

/** What one sweep found and did. Every count is of invites never redeemed, past expiry. */
export interface SweepCounts {
  /** Expired and never redeemed, all of them (the three counts below add up to this). */
  expired: number;
  /** Expired longer ago than the window, anonymised by this run (or, dry, that would be). */
  anonymized: number;
  /** Expired within the window: their address is kept until the window has passed. */
  waiting: number;
  /** Anonymised by an earlier sweep. */
  alreadyAnonymized: number;
}

export interface SweepOptions {
  /** How long after expiry an address is kept, in seconds. */
  windowSeconds: number;
  dryRun: boolean;
  /** How messages name the database. */
  where: string;
}

/**
 * The pending-expiry sweep, in one transaction, holding the sweep lock: counts the invites
 * never redeemed and past expiry, then replaces the address of those expired longer than
 * the window ago with `anonymized+<random uuid>@invalid` and stamps `anonymized_at`. The
 * value is random, not derived from the address (a hash could be reversed by trying
 * addresses), so nothing leads back to the person; row and cohort stay for the counts.
 * Rows already anonymised are skipped: a second run changes nothing.
 */
export async function sweep(sql: Sql, options: SweepOptions): Promise<SweepCounts> {
  const hint = 'nothing was changed; let it finish, the next run will pick up anything left';
  return withAdvisoryLock(
    sql,
    LOCKS.sweep,
    (conn) => withTransaction(conn, (tx) => sweepIn(tx, options)),
    { where: options.where, hint },
  );
}

/** The counts and the update, inside the transaction. */
async function sweepIn(tx: Queries, options: SweepOptions): Promise<SweepCounts> {
  const secs = options.windowSeconds;
  const [row] = await tx<Omit<SweepCounts, 'expired'>[]>`
    select
      count(*) filter (where anonymized_at is null
                         and expires_at <= now() - make_interval(secs => ${secs}))::int as anonymized,
      count(*) filter (where anonymized_at is null
                         and expires_at > now() - make_interval(secs => ${secs}))::int as waiting,
      count(*) filter (where anonymized_at is not null)::int as "alreadyAnonymized"
    from public.beta_invites
    where used_at is null and expires_at <= now()`;
  const counts = { anonymized: 0, waiting: 0, alreadyAnonymized: 0, ...row };
  if (!options.dryRun && counts.anonymized > 0) {
    const done = await tx`
      update public.beta_invites
      set email = 'anonymized+' || gen_random_uuid()::text || ${'@' + ANONYMIZED_DOMAIN},
          anonymized_at = now()
      where used_at is null and anonymized_at is null
        and expires_at <= now() - make_interval(secs => ${secs})`;
    counts.anonymized = done.count;
  }
  return { expired: counts.anonymized + counts.waiting + counts.alreadyAnonymized, ...counts };
}
