import type { Sql } from 'postgres';
import type { SendItem } from './check-files.js';

/** Invites looked up per query. */
const CHUNK = 5_000;

/** The address each invite of `ids` was created for, by invite id (one query per chunk). */
async function inviteEmails(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  const emails = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await sql<{ id: string; email: string }[]>`
      select id::text as id, email from public.beta_invites
      where id = any(${ids.slice(i, i + CHUNK)}::uuid[])`;
    for (const row of rows) emails.set(row.id, row.email);
  }
  return emails;
}

/**
 * Messages addressed to someone other than the person their invite was created for, as
 * "FILE is addressed to X, but its invite is for Y". The manifest, its sha256 and the
 * file's To can all be edited together, so only the database says whose code a message
 * carries: without this check, a consistent edit of the folder sends someone's code to
 * another address and marks their invite sent.
 */
export async function recipientProblems(
  sql: Sql,
  items: Pick<SendItem, 'inviteId' | 'file' | 'to'>[],
): Promise<string[]> {
  if (items.length === 0) return [];
  const emails = await inviteEmails(
    sql,
    items.map((item) => item.inviteId),
  );
  const wrong: string[] = [];
  for (const item of items) {
    const owner = emails.get(item.inviteId);
    const to = item.to[0] ?? '';
    if (owner !== undefined && owner.toLowerCase() !== to.toLowerCase())
      wrong.push(`${item.file} is addressed to ${to}, but its invite is for ${owner}`);
  }
  return wrong;
}
