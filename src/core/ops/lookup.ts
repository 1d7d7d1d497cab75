import type { Fragment, Sql, TransactionSql } from 'postgres';
import { EXPIRY_CAP } from '../expiry.js';
import type { Target } from './target.js';

/**
 * Where an invite stands. `redeemed` wins; then `revoked`; then `expired` from the expiry
 * instant on (`expires_at <= as-of`, the complement of render's reuse rule
 * `expires_at > now()`); otherwise `pending`.
 */
export type InviteState = 'redeemed' | 'revoked' | 'expired' | 'pending';

/** One invite as `show` and `revoke` present it. */
export interface InviteRecord {
  id: string;
  code: string;
  email: string;
  cohort: string;
  state: InviteState;
  createdAt: Date;
  sentAt: Date | null;
  /** Capped at EXPIRY_CAP (9999-12-31), the latest a date here holds. */
  expiresAt: Date;
  /** The database's own expiry as text when it lies past the cap (`infinity` too); else null. */
  expiresAtText: string | null;
  usedAt: Date | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  anonymizedAt: Date | null;
  /** The operator recorded by `render --sent-by` (null if none, or the account is gone). */
  sentBy: { id: string; email: string } | null;
  /** Delivery failures recorded by `beta-invites bounces`, oldest first. */
  bounces: InviteBounce[];
}

/** One bounce of an invite: what the reporting server said, and when it arrived. */
export interface InviteBounce {
  receivedAt: Date;
  kind: 'hard' | 'soft' | 'unknown';
  /** RFC 3463 status such as 5.1.1; null when the report had none. */
  status: string | null;
  action: string | null;
  recipient: string | null;
  diagnostic: string | null;
  messageId: string;
}

type Db = Sql | TransactionSql;

/**
 * The state rule as one condition per state: exactly one holds for any invite. `report`
 * counts with them; `stateSql` names the state with them, so both read one definition.
 * `asOf` is the instant to judge expiry at; omitted, the database's `now()`.
 */
export function stateConditions(sql: Db, asOf?: Date): Record<InviteState, Fragment> {
  const at = asOf ? sql`${asOf}::timestamptz` : sql`now()`;
  const open = sql`b.used_at is null and b.revoked_at is null`;
  return {
    redeemed: sql`b.used_at is not null`,
    revoked: sql`b.used_at is null and b.revoked_at is not null`,
    expired: sql`${open} and b.expires_at <= ${at}`,
    pending: sql`${open} and b.expires_at > ${at}`,
  };
}

/** The state rule in SQL, the single definition `report`, `show` and `revoke` share. */
export function stateSql(sql: Db, asOf?: Date) {
  const is = stateConditions(sql, asOf);
  return sql`case
    when ${is.redeemed} then 'redeemed'
    when ${is.revoked} then 'revoked'
    when ${is.expired} then 'expired'
    else 'pending' end`;
}

/** The `where` clause matching a target (both forms use an index: code, lower(email)). */
export function targetSql(sql: Db, target: Target) {
  return target.kind === 'email'
    ? sql`lower(b.email) = lower(${target.email})`
    : sql`b.code = ${target.code}`;
}

interface Row {
  id: string;
  code: string;
  email: string;
  cohort: string;
  state: InviteState;
  created_at: Date;
  sent_at: Date | null;
  expires_at: Date;
  expires_at_text: string | null;
  used_at: Date | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
  anonymized_at: Date | null;
  sent_by: string | null;
  sent_by_email: string | null;
}

export function toRecord(row: Row): InviteRecord {
  return {
    id: row.id,
    code: row.code,
    email: row.email,
    cohort: row.cohort,
    state: row.state,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
    expiresAtText: row.expires_at_text,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
    anonymizedAt: row.anonymized_at,
    sentBy: row.sent_by ? { id: row.sent_by, email: row.sent_by_email ?? '' } : null,
    bounces: [],
  };
}

/**
 * Every invite of a person or a code, oldest first, with the operator who sent it.
 * `lock` takes the rows `for update` (inside a transaction, for `revoke`).
 */
export async function findInvites(
  sql: Db,
  target: Target,
  options: { asOf?: Date; lock?: boolean } = {},
): Promise<InviteRecord[]> {
  const rows = await sql<Row[]>`
    select b.id::text, b.code, b.email, b.cohort, ${stateSql(sql, options.asOf)} as state,
           b.created_at, b.sent_at, least(b.expires_at, ${EXPIRY_CAP}::timestamptz) as expires_at,
           case when b.expires_at > ${EXPIRY_CAP}::timestamptz then b.expires_at::text end
             as expires_at_text,
           b.used_at, b.revoked_at, b.revoke_reason,
           b.anonymized_at, b.sent_by::text, u.email as sent_by_email
    from public.beta_invites b
    left join public.users u on u.id = b.sent_by
    where ${targetSql(sql, target)}
    order by b.created_at, b.id
    ${options.lock ? sql`for update of b` : sql``}`;
  const records = rows.map(toRecord);
  const bounces = await bouncesOf(
    sql,
    records.map((r) => r.id),
  );
  for (const record of records) record.bounces = bounces.get(record.id) ?? [];
  return records;
}

/** The bounces of these invites, one query (the invite index of beta_invites_bounces). */
async function bouncesOf(sql: Db, ids: string[]): Promise<Map<string, InviteBounce[]>> {
  const byInvite = new Map<string, InviteBounce[]>();
  if (ids.length === 0) return byInvite;
  const rows = await sql<(InviteBounce & { inviteId: string })[]>`
    select invite_id::text as "inviteId", received_at as "receivedAt", kind, status, action,
           recipient, diagnostic, message_id as "messageId"
    from public.beta_invites_bounces
    where invite_id = any(${ids}::uuid[])
    order by received_at, id`;
  for (const { inviteId, ...bounce } of rows) {
    byInvite.set(inviteId, [...(byInvite.get(inviteId) ?? []), bounce]);
  }
  return byInvite;
}
