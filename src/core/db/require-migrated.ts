import { defaultMigrationsDir } from '../migrations/files.js';
import { assertMigrated } from '../migrations/migrate.js';
import type { Database } from './database.js';

/**
 * Refuses to go on while the bundled migrations are pending or drifted on `db` (one line
 * naming the database and the files, with "run beta-invites migrate first"). Every
 * command that reads or writes invites starts with it.
 */
export async function requireMigrated(db: Pick<Database, 'sql' | 'label'>): Promise<void> {
  await assertMigrated(db.sql, defaultMigrationsDir, db.label);
}
