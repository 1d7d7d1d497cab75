import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { clientOptions } from '../../../src/core/db/database.js';
import { defaultMigrationsDir, readMigrationFiles } from '../../../src/core/migrations/files.js';
import {
  assertMigrated,
  migrate,
  readMigrationState,
} from '../../../src/core/migrations/migrate.js';
import { MIGRATE_LOCK, withMigrateLock } from '../../../src/core/migrations/runner.js';
import { createTestDatabase, dbKind } from '../../helpers/database.js';
import { useScratchDir, useTestDatabase } from '../../helpers/fixtures.js';
import { failure } from '../../helpers/failure.js';

// Each embedded run starts PGlite (seconds, more on a loaded machine).
const SLOW = { timeout: 180_000 };

const scratch = useScratchDir('bi-migrate-');
const db = useTestDatabase();

/** A copy of the bundled migrations plus `extra` files. */
function folder(name: string, extra: Record<string, string>): string {
  const dir = path.join(scratch, name);
  fs.cpSync(defaultMigrationsDir, dir, { recursive: true });
  for (const [file, sql] of Object.entries(extra)) fs.writeFileSync(path.join(dir, file), sql);
  return dir;
}

const options = (dir: string) => ({
  dir,
  dryRun: false,
  wait: false,
  where: 'DB',
  now: () => performance.now(),
});

async function recorded(): Promise<string[]> {
  const sql = await db.sql();
  const rows = await sql<
    { name: string }[]
  >`select name from public.beta_invites_schema_migrations order by name`;
  return rows.map((r) => r.name);
}

async function tableExists(name: string): Promise<boolean> {
  const sql = await db.sql();
  const [row] = await sql<{ found: boolean }[]>`select to_regclass(${name}) is not null as found`;
  return row?.found === true;
}

describe(`migrate (${dbKind})`, SLOW, () => {
  it('is a no-op on an up-to-date database', async () => {
    const sql = await db.sql();
    const before = await recorded();
    const result = await migrate(sql, options(defaultMigrationsDir));
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toBe(before.length);
    expect(await recorded()).toEqual(before);
  });

  it('applies a pending file once and records its checksum and duration', async () => {
    const sql = await db.sql();
    const dir = folder('pending', { '997_extra.sql': 'create table public.extra_one (id int);\n' });
    const dry = await migrate(sql, { ...options(dir), dryRun: true });
    expect(dry.wouldApply.map((f) => f.name)).toEqual(['997_extra.sql']);
    expect(await tableExists('public.extra_one')).toBe(false);
    const first = await migrate(sql, options(dir));
    expect(first.applied.map((a) => a.name)).toEqual(['997_extra.sql']);
    const second = await migrate(sql, options(dir));
    expect(second.applied).toEqual([]);
    const state = await readMigrationState(sql, dir);
    expect(state.pending).toEqual([]);
    expect(
      state.applied.find((a) => a.name === '997_extra.sql')?.durationMs,
    ).toBeGreaterThanOrEqual(0);
    // The bundled folder no longer has that file: reported as missing, not an error.
    expect((await readMigrationState(sql, defaultMigrationsDir)).missing).toEqual([
      '997_extra.sql',
    ]);
  });

  it('refuses an applied file that changed (drift), and so does assertMigrated', async () => {
    const sql = await db.sql();
    const dir = folder('drift', {});
    fs.appendFileSync(path.join(dir, '990_beta_invites.sql'), '-- edited after the fact\n');
    const message = await failure(migrate(sql, options(dir)));
    expect(message.replace(/[0-9a-f]{12}…/g, 'SHA…')).toMatchInlineSnapshot(
      `"1: migration drift: 990_beta_invites.sql changed after being applied (recorded sha256 SHA…, file SHA…) | restore the applied file and put the change in a new migration file"`,
    );
    expect(await failure(assertMigrated(sql, dir, 'DB'))).toBe(message);
    expect((await readMigrationState(sql, dir)).drift.map((d) => d.name)).toEqual([
      '990_beta_invites.sql',
    ]);
  });

  it('assertMigrated names the pending files', async () => {
    const sql = await db.sql();
    const dir = folder('behind', { '997_a.sql': 'select 1;', '998_b.sql': 'select 2;' });
    expect(await failure(assertMigrated(sql, dir, 'DB'))).toMatchInlineSnapshot(
      `"1: 2 migration(s) pending on DB: 997_a.sql, 998_b.sql | run beta-invites migrate first"`,
    );
    await expect(assertMigrated(sql, defaultMigrationsDir, 'DB')).resolves.toBeUndefined();
  });

  it('rolls a failing file back and does not record it', async () => {
    const sql = await db.sql();
    const dir = folder('failing', {
      '997_ok.sql': 'create table public.before_failure (id int);',
      '998_bad.sql':
        'create table public.half_done (id int);\nselect * from public.no_such_table;\n',
    });
    const message = await failure(migrate(sql, options(dir)));
    expect(message).toMatchInlineSnapshot(
      `"1: migration 998_bad.sql failed and was rolled back: relation "public.no_such_table" does not exist | fix the file and rerun beta-invites migrate; the 1 file(s) before it were applied"`,
    );
    expect(await tableExists('public.before_failure')).toBe(true);
    expect(await tableExists('public.half_done')).toBe(false);
    expect(await recorded()).toContain('997_ok.sql');
    expect(await recorded()).not.toContain('998_bad.sql');
  });

  it('runs a no-transaction file statement by statement, and says what stayed applied', async () => {
    const sql = await db.sql();
    const dir = folder('no-transaction', {
      '999_nt.sql': [
        '-- beta-invites: no-transaction',
        'create table if not exists public.nt_first (id int);',
        'select * from public.no_such_table;',
        'create table public.nt_third (id int);',
      ].join('\n'),
    });
    expect(await failure(migrate(sql, options(dir)))).toMatchInlineSnapshot(
      `"1: migration 999_nt.sql failed at statement 2 of 3 (no-transaction file: statement 1 stays applied): relation "public.no_such_table" does not exist | fix the file and rerun beta-invites migrate: it runs the whole file again, so its statements must be rerunnable (IF NOT EXISTS)"`,
    );
    expect(await tableExists('public.nt_first')).toBe(true);
    expect(await tableExists('public.nt_third')).toBe(false);
    expect(await recorded()).not.toContain('999_nt.sql');
  });

  it('keeps one unique index on code: 996 drops the copy 990 made, duplicates are still refused', async () => {
    const sql = await db.sql();
    const indexes = await sql<{ name: string }[]>`
      select indexname as name from pg_indexes
      where schemaname = 'public' and tablename = 'beta_invites' and indexdef like '%(code)'`;
    expect(indexes.map((i) => i.name)).toEqual(['beta_invites_code_key']);
    const insert = () => sql`
      insert into public.beta_invites (code, email, cohort)
      values ('DUPE2345DUPE2345', 'dupe@example.com', 'creator-test')`;
    await insert();
    try {
      expect(await insert().catch((error: unknown) => error)).toMatchObject({
        code: '23505',
        constraint_name: 'beta_invites_code_key',
      });
    } finally {
      await sql`delete from public.beta_invites where code = 'DUPE2345DUPE2345'`;
    }
  });

  it('runs 996 outside a transaction, and again as a no-op', async () => {
    const sql = await db.sql();
    const file = readMigrationFiles(defaultMigrationsDir).find((f) => f.name.startsWith('996_'));
    expect(file?.transactional).toBe(false);
    const dir = folder('drop-again', { '997_drop_again.sql': file?.sql ?? '' });
    const result = await migrate(sql, options(dir));
    expect(result.applied.map((a) => a.name)).toEqual(['997_drop_again.sql']);
  });

  it.runIf(dbKind === 'server')(
    'fails fast while another session holds the migrate lock',
    async () => {
      const other = postgres(db.url ?? '', { ...clientOptions, max: 1 });
      try {
        await other`select pg_advisory_lock(${MIGRATE_LOCK})`;
        const sql = await db.sql();
        const message = await failure(
          withMigrateLock(sql, { wait: false, where: 'DB' }, () => Promise.resolve()),
        );
        expect(message).toMatchInlineSnapshot(
          `"1: another migrate is running on DB (advisory lock 7418326601 is held) | wait for it to finish, or rerun with --wait"`,
        );
        let unlocked = false;
        const waiting = withMigrateLock(sql, { wait: true, where: 'DB' }, () =>
          Promise.resolve(unlocked),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        unlocked = true;
        await other`select pg_advisory_unlock(${MIGRATE_LOCK})`;
        // With --wait the work runs only once the other session let go.
        expect(await waiting).toBe(true);
      } finally {
        await other.end();
      }
    },
  );

  it.runIf(dbKind === 'server')(
    'holds the lock on one session even with a pool of connections',
    async () => {
      const sql = await db.sql();
      const held = await withMigrateLock(sql, { wait: false, where: 'DB' }, async (conn) => {
        // Busy the pool from outside: the lock must stay with the reserved connection.
        await Promise.all([sql`select pg_sleep(0.05)`, sql`select pg_sleep(0.05)`]);
        const [row] = await conn<{ n: number }[]>`
        select count(*)::int as n from pg_locks
        where locktype = 'advisory' and pid = pg_backend_pid() and granted`;
        return row?.n;
      });
      expect(held).toBe(1);
      const [after] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_locks
      where locktype = 'advisory' and granted
        and database = (select oid from pg_database where datname = current_database())`;
      expect(after?.n).toBe(0);
    },
  );
});

describe.runIf(dbKind === 'server')('migrate on a server without public.users', SLOW, () => {
  it('stops before creating anything and names the table', async () => {
    const bare = await createTestDatabase({ users: false });
    try {
      const sql = await bare.sql();
      expect(await failure(migrate(sql, options(defaultMigrationsDir)))).toMatchInlineSnapshot(
        `"1: table public.users is missing on DB | run the host application's migrations first (beta_invites.sent_by references public.users), then beta-invites migrate"`,
      );
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from pg_tables where schemaname = 'public'`;
      expect(row?.n).toBe(0);
    } finally {
      await bare.drop();
    }
  });
});
