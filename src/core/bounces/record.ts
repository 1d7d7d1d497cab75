import type { Sql } from 'postgres';
import type { BounceKind } from './status.js';

/** One row of `beta_invites_bounces`, as `bounces` records it. */
export interface BounceRow {
  inviteId: string;
  status: string | null;
  kind: BounceKind;
  diagnostic: string | null;
  recipient: string | null;
  action: string | null;
  receivedAt: Date;
  messageId: string;
}

/** Which of `ids` are invites of this database. */
export async function knownInvites(sql: Sql, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    select id::text as id from public.beta_invites where id = any(${ids}::uuid[])`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Inserts the rows whose Message-ID is new, in one statement, and returns the Message-IDs
 * it inserted; the others were recorded before (or twice in this batch). With `dryRun`
 * nothing is written: the Message-IDs that are not recorded yet are returned.
 */
export async function recordBounces(
  sql: Sql,
  rows: BounceRow[],
  dryRun: boolean,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const ids = rows.map((r) => r.messageId);
  if (dryRun) {
    const existing = await sql<{ message_id: string }[]>`
      select message_id from public.beta_invites_bounces where message_id = any(${ids}::text[])`;
    const known = new Set(existing.map((r) => r.message_id));
    return new Set(ids.filter((id) => !known.has(id)));
  }
  const inserted = await sql<{ message_id: string }[]>`
    insert into public.beta_invites_bounces
      (invite_id, status, kind, diagnostic, recipient, action, received_at, message_id)
    select * from unnest(
      ${rows.map((r) => r.inviteId)}::uuid[],
      ${rows.map((r) => r.status)}::text[],
      ${rows.map((r) => r.kind)}::text[],
      ${rows.map((r) => r.diagnostic)}::text[],
      ${rows.map((r) => r.recipient)}::text[],
      ${rows.map((r) => r.action)}::text[],
      ${rows.map((r) => r.receivedAt.toISOString())}::timestamptz[],
      ${ids}::text[])
    on conflict (message_id) do nothing
    returning message_id`;
  return new Set(inserted.map((r) => r.message_id));
}
