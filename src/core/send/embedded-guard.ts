import type { Database } from '../db/database.js';
import { UserError } from '../errors.js';

/** How to get out of the embedded database, said the same way everywhere. */
export const EMBEDDED_WAYS_OUT =
  "set DATABASE_URL (or PGHOST…) to the host application's database, or pass --embedded / BETA_INVITES_EMBEDDED=1 for a rehearsal whose codes no signup page knows";

/**
 * A confirmed `send` records to the database it opened. The embedded one is a copy the
 * host application's signup page never reads: its codes, once emailed, would all be
 * refused. So it needs an explicit permission (`--embedded` / `BETA_INVITES_EMBEDDED=1`).
 */
export function assertSendDatabase(db: Pick<Database, 'kind' | 'label'>, permitted: boolean): void {
  if (db.kind !== 'embedded' || permitted) return;
  throw new UserError(
    `refusing to send invitations recorded in the embedded database at ${db.label}: the signup page cannot know their codes`,
    { hint: EMBEDDED_WAYS_OUT },
  );
}

/** What a dry run says about the database a real run would record to, loudly when embedded. */
export function sendDatabaseLine(db: Pick<Database, 'kind' | 'label'>, permitted: boolean): string {
  if (db.kind !== 'embedded') return `records to the server ${db.label}`;
  if (permitted) {
    return `records to the EMBEDDED database at ${db.label} (permitted: a rehearsal; no signup page knows these codes)`;
  }
  return `EMBEDDED database at ${db.label}: a real send is refused — ${EMBEDDED_WAYS_OUT}`;
}
