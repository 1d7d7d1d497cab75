import type { Sql } from 'postgres';
import { UserError } from '../errors.js';

/** Resolves `--sent-by EMAIL|UUID` against public.users before anything is written. */
export async function resolveSentBy(sql: Sql, value: string | undefined): Promise<string | null> {
  if (!value) return null;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  const rows = uuid
    ? await sql<{ id: string }[]>`select id::text from public.users where id = ${value}::uuid`
    : await sql<
        { id: string }[]
      >`select id::text from public.users where lower(email) = lower(${value})`;
  const id = rows[0]?.id;
  if (!id) {
    throw new UserError(`--sent-by: no user ${value} in public.users`, {
      hint: 'give the email or id of an existing operator account',
    });
  }
  return id;
}
