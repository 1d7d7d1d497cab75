import type { Database } from '../../db/database.js';
import { defaultMigrationsDir } from '../../migrations/files.js';
import { readMigrationState } from '../../migrations/migrate.js';
import { usersTableExists } from '../../migrations/runner.js';
import { EMBEDDED_WAYS_OUT } from '../../send/embedded-guard.js';
import { databaseProblem } from '../../db/query-errors.js';
import { attempt, failureDetail, item, type PreflightItem } from './items.js';

/** A check of the database: a query the server cancelled reads as one line naming it. */
function onDatabase(
  db: Database,
  id: string,
  title: string,
  check: () => Promise<Pick<PreflightItem, 'state' | 'detail'>>,
): Promise<PreflightItem> {
  return attempt(id, title, async () => {
    try {
      return await check();
    } catch (error) {
      throw databaseProblem(error, db.label) ?? error;
    }
  });
}

function list(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')}, …`;
}

async function migrationsItem(db: Database): Promise<PreflightItem> {
  return onDatabase(db, 'migrations', 'migrations', async () => {
    const state = await readMigrationState(db.sql, defaultMigrationsDir);
    if (state.drift.length > 0) {
      const names = state.drift.map((d) => d.name);
      return {
        state: 'fail',
        detail: `${list(names)} changed after being applied — restore the file; put changes in a new migration`,
      };
    }
    if (state.pending.length > 0) {
      const names = state.pending.map((p) => p.name);
      return {
        state: 'fail',
        detail: `${names.length} pending: ${list(names)} — run beta-invites migrate (preflight applies nothing)`,
      };
    }
    return { state: 'pass', detail: `${state.applied.length} applied, none pending` };
  });
}

async function usersItem(db: Database): Promise<PreflightItem> {
  return onDatabase(db, 'users', 'users table', async () => {
    if (!(await usersTableExists(db.sql))) {
      return {
        state: 'fail',
        detail:
          "public.users is missing — beta_invites.sent_by references it: run the host application's migrations first",
      };
    }
    const what = db.kind === 'embedded' ? 'the embedded stand-in public.users' : 'public.users';
    return { state: 'pass', detail: `${what} is present` };
  });
}

/**
 * The database `send --confirm` would record to: 🔴 on the embedded one unless permitted
 * (`--embedded` / `BETA_INVITES_EMBEDDED=1`), since no signup page knows its codes.
 */
export function sendDatabaseItem(
  db: Pick<Database, 'kind' | 'label'>,
  permitted: boolean,
): PreflightItem {
  if (db.kind !== 'embedded')
    return item('send-database', 'send database', 'pass', `the server ${db.label}`);
  if (permitted) {
    return item(
      'send-database',
      'send database',
      'pass',
      `the embedded database at ${db.label}, permitted: a rehearsal, no signup page knows its codes`,
    );
  }
  return item(
    'send-database',
    'send database',
    'fail',
    `the embedded database at ${db.label}: send --confirm would refuse — ${EMBEDDED_WAYS_OUT}`,
  );
}

/**
 * Database reachable, migrations applied, `public.users` present; with `embeddedPermitted`
 * given, also whether `send` may record to it (`sendDatabaseItem`). Opening never migrates
 * a server (only the embedded database migrates itself, by design); when the database
 * cannot be opened the two other lines say they could not be checked.
 */
export async function checkDatabase(
  open: () => Promise<Database>,
  options: { embeddedPermitted?: boolean } = {},
): Promise<PreflightItem[]> {
  let db: Database;
  try {
    db = await open();
  } catch (error) {
    return [
      item('database', 'database', 'fail', failureDetail(error)),
      item('migrations', 'migrations', 'unknown', 'not checked: the database is unreachable'),
      item('users', 'users table', 'unknown', 'not checked: the database is unreachable'),
    ];
  }
  const reachable = await onDatabase(db, 'database', 'database', async () => {
    const [row] = await db.sql<
      { version: string }[]
    >`select current_setting('server_version') as version`;
    const where =
      db.kind === 'embedded'
        ? `embedded database at ${db.label} (set DATABASE_URL to check the launch server)`
        : `server ${db.label}`;
    return { state: 'pass', detail: `${where}, PostgreSQL ${row?.version ?? '?'}` };
  });
  // Which database send would record to is known without a query: listed either way.
  const items =
    reachable.state === 'pass'
      ? [reachable, await migrationsItem(db), await usersItem(db)]
      : [
          reachable,
          item('migrations', 'migrations', 'unknown', 'not checked: the database does not answer'),
          item('users', 'users table', 'unknown', 'not checked: the database does not answer'),
        ];
  if (options.embeddedPermitted !== undefined)
    items.push(sendDatabaseItem(db, options.embeddedPermitted));
  return items;
}
