import type { Sql } from 'postgres';

/** Addresses per query: large enough to be few queries, small enough for one parameter. */
const CHUNK = 50_000;

/**
 * Which of these addresses (lower-cased) already have an account in the host
 * application's `public.users`, in a few large queries.
 */
export async function findExistingUsers(sql: Sql, emails: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < emails.length; i += CHUNK) {
    const rows = await sql<{ email: string }[]>`
      select lower(email) as email from public.users
      where lower(email) = any(${emails.slice(i, i + CHUNK)}::text[])`;
    for (const row of rows) found.add(row.email);
  }
  return found;
}

/** `findUsers` for `validateCohort`: opens the database only when the lookup runs. */
export function usersFinder(
  db: () => Promise<{ sql: Sql }>,
): (emails: readonly string[]) => Promise<Set<string>> {
  return async (emails) => findExistingUsers((await db()).sql, emails);
}
