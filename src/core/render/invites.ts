import type { Sql, TransactionSql } from 'postgres';
import { isConnectionError } from '../db/connection-loss.js';
import { RECIPIENT_LOCK_NAMESPACE } from '../db/locks.js';
import { errorMessage } from '../errors.js';
import { EXPIRY_CAP } from '../expiry.js';
import { generateCode, generateCodes } from './codes.js';

// Re-exported where it always was: tests and tools that hold a recipient lock import it here.
export { RECIPIENT_LOCK_NAMESPACE };

/** A recipient to give an invite to. */
export interface Recipient {
  email: string;
  cohort: string;
}

/** The invite a recipient got: reused (pending, same cohort) or created now. */
export interface InviteRow {
  id: string;
  code: string;
  expiresAt: Date;
  createdAt: Date;
  created: boolean;
}

export type InviteOutcome = { ok: true; invite: InviteRow } | { ok: false; error: string };

export interface InviteOptions {
  expiresInSeconds: number;
  sentBy: string | null;
}

interface Row {
  id: string;
  code: string;
  expires_at: Date;
  created_at: Date;
  created: boolean;
}

const toInvite = (row: Row): InviteRow => ({
  id: row.id,
  code: row.code,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  created: row.created,
});

/**
 * One recipient, inside the caller's transaction: lock the address, reuse the pending
 * invite of the same cohort or insert one. A code collision retries with a new code.
 */
async function inviteOne(tx: TransactionSql, r: Recipient, o: InviteOptions): Promise<InviteRow> {
  await tx`select pg_advisory_xact_lock(${RECIPIENT_LOCK_NAMESPACE}, hashtext(lower(${r.email})))`;
  const [existing] = await tx<Row[]>`
    select id::text, code, least(expires_at, ${EXPIRY_CAP}::timestamptz) as expires_at,
           created_at, false as created from public.beta_invites
    where lower(email) = lower(${r.email}) and cohort = ${r.cohort}
      and used_at is null and expires_at > now()
    order by created_at desc limit 1`;
  if (existing) return toInvite(existing);
  const [revoked] = await tx<{ at: Date; reason: string | null }[]>`
    select revoked_at as at, revoke_reason as reason from public.beta_invites
    where lower(email) = lower(${r.email}) and cohort = ${r.cohort} and revoked_at is not null
    order by revoked_at desc limit 1`;
  if (revoked) throw new RevokedError(revoked.at, revoked.reason);
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await tx.savepoint(
        (sp) => sp<Row[]>`
        insert into public.beta_invites (code, email, cohort, expires_at, sent_by)
        values (${generateCode()}, ${r.email}, ${r.cohort},
                now() + make_interval(secs => ${o.expiresInSeconds}), ${o.sentBy})
        returning id::text, code, expires_at, created_at, true as created`,
      );
      if (!row) throw new Error('insert returned no row');
      return toInvite(row);
    } catch (error) {
      const e = error as { code?: string; constraint_name?: string };
      const codeClash = e.code === '23505' && /code/.test(e.constraint_name ?? '');
      if (!codeClash || attempt >= 5) throw error;
    }
  }
}

/**
 * A recipient whose invite of this cohort was revoked is not invited again by a rerun:
 * the operator ended it on purpose (see `beta-invites revoke`).
 */
export class RevokedError extends Error {
  constructor(at: Date, reason: string | null) {
    super(
      `invite revoked on ${at.toISOString()}${reason ? ` (${reason})` : ''}: not invited again; remove the row from the cohort`,
    );
  }
}

/**
 * The invites of the input row `i`'s address, found through the lower(email) index
 * whatever the table's statistics say: `offset 0` keeps the planner from folding the other
 * conditions in. In a plain join, the planner hashed every pending invite (or scanned the
 * cohort) once per batch, making a launch quadratic: 83 ms a batch of 500 at 50,000
 * invites, 23 ms this way.
 */
function invitesOfInput(tx: TransactionSql) {
  return tx`(select * from public.beta_invites x where lower(x.email) = lower(i.email) offset 0)`;
}

/** True when any recipient of the batch has a revoked invite of the same cohort. */
async function anyRevoked(tx: TransactionSql, batch: Recipient[]): Promise<boolean> {
  const [row] = await tx<{ found: boolean }[]>`
    select exists (
      select 1
      from unnest(${batch.map((r) => r.email)}::text[], ${batch.map((r) => r.cohort)}::text[])
        as i(email, cohort)
      cross join lateral ${invitesOfInput(tx)} as b
      where b.cohort = i.cohort and b.revoked_at is not null
    ) as found`;
  return row?.found === true;
}

interface BatchRow extends Row {
  ord: number;
}

/**
 * The whole batch in two statements: lock every address (in hash order, so concurrent
 * runs cannot deadlock), then reuse-or-insert set-based. Throws if any row fails.
 */
async function inviteSetBased(
  tx: TransactionSql,
  batch: Recipient[],
  o: InviteOptions,
): Promise<InviteRow[]> {
  if (await anyRevoked(tx, batch)) throw new Error('a recipient of this batch was revoked');
  const emails = batch.map((r) => r.email);
  const cohorts = batch.map((r) => r.cohort);
  const codes = generateCodes(batch.length);
  await tx`
    select pg_advisory_xact_lock(${RECIPIENT_LOCK_NAMESPACE}, h)
    from (select distinct hashtext(lower(e)) as h from unnest(${emails}::text[]) as e order by 1) as s`;
  const rows = await tx<BatchRow[]>`
    with input as (
      select * from unnest(${emails}::text[], ${cohorts}::text[], ${codes}::text[])
        with ordinality as t(email, cohort, code, ord)
    ), existing as (
      select i.ord, b.id, b.code, b.expires_at, b.created_at
      from input i
      cross join lateral (
        select b.id, b.code, b.expires_at, b.created_at from ${invitesOfInput(tx)} as b
        where b.cohort = i.cohort and b.used_at is null and b.expires_at > now()
        order by b.created_at desc limit 1
      ) as b
    ), inserted as (
      insert into public.beta_invites (code, email, cohort, expires_at, sent_by)
      select i.code, i.email, i.cohort, now() + make_interval(secs => ${o.expiresInSeconds}), ${o.sentBy}::uuid
      from input i
      where not exists (select 1 from existing e where e.ord = i.ord)
      order by i.ord
      returning id, code, expires_at, created_at
    )
    select e.ord, e.id::text, e.code, least(e.expires_at, ${EXPIRY_CAP}::timestamptz) as expires_at,
           e.created_at, false as created from existing e
    union all
    select i.ord, n.id::text, n.code, n.expires_at, n.created_at, true from inserted n
    join input i on i.code = n.code`;
  const byOrd = new Map(rows.map((row) => [Number(row.ord), toInvite(row)]));
  return batch.map((_, i) => {
    const invite = byOrd.get(i + 1);
    if (!invite) throw new Error(`no invite returned for row ${i + 1} of the batch`);
    return invite;
  });
}

/** The slow path: a savepoint per recipient, so one failure spares the others. */
async function invitePerRow(
  tx: TransactionSql,
  batch: Recipient[],
  o: InviteOptions,
): Promise<InviteOutcome[]> {
  const outcomes: InviteOutcome[] = [];
  for (const recipient of batch) {
    try {
      outcomes.push({ ok: true, invite: await tx.savepoint((sp) => inviteOne(sp, recipient, o)) });
    } catch (error) {
      if (isConnectionError(error)) throw error;
      outcomes.push({ ok: false, error: errorMessage(error) });
    }
  }
  return outcomes;
}

/**
 * Invites a batch: the set-based statement in one transaction (batch speed) and, if any
 * recipient makes it fail, the batch again in one transaction with a savepoint per
 * recipient (per-recipient isolation): a failure is rolled back to its savepoint and
 * reported, the others commit. Nothing is returned for a row that did not commit.
 */
export async function inviteBatch(
  sql: Sql,
  batch: Recipient[],
  options: InviteOptions,
): Promise<InviteOutcome[]> {
  try {
    const invites = await sql.begin((tx) => inviteSetBased(tx, batch, options));
    return invites.map((invite) => ({ ok: true, invite }));
  } catch (error) {
    if (isConnectionError(error)) throw error;
    return sql.begin((tx) => invitePerRow(tx, batch, options));
  }
}
