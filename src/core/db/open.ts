import type { Settings } from '../config.js';
import { defaultMigrationsDir } from '../migrations/files.js';
import { ensureStandInUsers, migrate } from '../migrations/migrate.js';
import type { Database } from './database.js';

export interface OpenOptions {
  /** Where the one-line notice about the embedded database goes. */
  notice: (message: string) => void;
  /** Connections on a server (the embedded database always uses one). */
  max?: number;
}

/**
 * The database of this run: `DATABASE_URL` when set, else the embedded PGlite data
 * directory, created, given a stand-in `users` table and migrated on first use.
 */
export async function openDatabase(
  settings: Pick<Settings, 'databaseUrl' | 'home'>,
  options: OpenOptions,
): Promise<Database> {
  if (settings.databaseUrl) {
    const { openServer } = await import('./server.js');
    return openServer(settings.databaseUrl, options.max ?? 4);
  }
  const { openEmbedded } = await import('./embedded.js');
  const db = await openEmbedded(settings.home);
  options.notice(`using embedded database at ${db.label}; set DATABASE_URL for a server`);
  try {
    await ensureStandInUsers(db.sql);
    await migrate(db.sql, {
      dir: defaultMigrationsDir,
      dryRun: false,
      wait: true,
      where: db.label,
      now: () => performance.now(),
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
