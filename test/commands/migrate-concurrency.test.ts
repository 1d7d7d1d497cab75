import fs from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { describeAddress, parseDatabaseUrl } from '../../src/core/db/url.js';
import { defaultMigrationsDir } from '../../src/core/migrations/files.js';
import { MIGRATE_LOCK } from '../../src/core/migrations/runner.js';
import { cleanEnv, normalize, runCli } from '../helpers/cli.js';
import { dbKind } from '../helpers/database.js';
import { bin } from '../helpers/paths.js';
import { useScratchDir, useTestDatabase } from '../helpers/fixtures.js';

// Each embedded run starts PGlite (seconds, more on a loaded machine).
const SLOW = { timeout: 180_000 };

const scratch = useScratchDir('bi-migrate-race-');
const db = useTestDatabase();

/** A copy of the bundled migrations plus one pending file. */
function folder(name: string, file: string, sql: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(defaultMigrationsDir, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), sql);
  return dir;
}

/** Starts the binary without waiting for it: the first of two concurrent runs. */
function start(args: string[]): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [bin, ...args], {
    cwd: db.home,
    env: cleanEnv(db.env),
    extendEnv: false,
    reject: false,
  });
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(dbKind === 'server')('two migrate processes on a server', SLOW, () => {
  // The pending file waits on a lock this test holds, so the first run sits inside its
  // migration (holding the migrate lock) exactly as long as the test needs.
  const GATE = 4242;
  const where = () => describeAddress(parseDatabaseUrl(db.url ?? ''));

  async function waiters(): Promise<number> {
    const sql = await db.sql();
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_locks
      where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`;
    return row?.n ?? 0;
  }

  async function migrateLockHeld(): Promise<boolean> {
    const sql = await db.sql();
    const [row] = await sql<{ held: boolean }[]>`
      select exists (
        select 1 from pg_locks
        where locktype = 'advisory' and granted
          and database = (select oid from pg_database where datname = current_database())
          and (classid::bigint << 32) + objid::bigint = ${MIGRATE_LOCK}
      ) as held`;
    return row?.held === true;
  }

  it('the second fails fast without --wait; with --wait it waits and applies nothing twice', async () => {
    const dir = folder(
      'gated',
      '998_gated.sql',
      `select pg_advisory_xact_lock(${GATE});\ncreate table public.gated (id int);\n`,
    );
    const sql = await db.sql();
    const gate = await sql.reserve();
    await gate`select pg_advisory_lock(${GATE})`;
    let first: ResultPromise<{ reject: false }> | undefined;
    let third: ResultPromise<{ reject: false }> | undefined;
    try {
      first = start(['migrate', '--dir', dir]);
      await until(
        async () => (await waiters()) === 1,
        'the first migrate to block inside its file',
      );

      const second = await runCli(['migrate', '--dir', dir], { db });
      expect(second.exitCode).toBe(1);
      expect(normalize(second.stderr, { [where()]: 'DB' })).toBe(
        `beta-invites: another migrate is running on DB (advisory lock ${MIGRATE_LOCK} is held)\n` +
          '  wait for it to finish, or rerun with --wait',
      );

      third = start(['migrate', '--dir', dir, '--wait']);
      await until(async () => (await waiters()) === 2, 'the --wait migrate to queue on the lock');
    } finally {
      await gate`select pg_advisory_unlock(${GATE})`;
      gate.release();
    }
    const [a, c] = await Promise.all([first, third]);
    expect([a?.exitCode, c?.exitCode]).toEqual([0, 0]);
    expect(normalize(a?.stdout ?? '', { [where()]: 'DB' })).toBe(
      'applied 998_gated.sql (N ms)\n1 migration(s) applied on DB.',
    );
    expect(normalize(c?.stdout ?? '', { [where()]: 'DB' })).toMatch(
      /^Nothing to apply on DB: up to date/,
    );
    const rows =
      await sql`select name from public.beta_invites_schema_migrations where name = '998_gated.sql'`;
    expect(rows).toHaveLength(1);
  });

  it('Ctrl-C inside a migration exits 130, rolls it back and frees the lock', async () => {
    const dir = folder(
      'interrupted',
      '999_interrupted.sql',
      `create table public.interrupted (id int);\nselect pg_advisory_xact_lock(${GATE});\n`,
    );
    const sql = await db.sql();
    const gate = await sql.reserve();
    await gate`select pg_advisory_lock(${GATE})`;
    try {
      const run = start(['migrate', '--dir', dir]);
      await until(async () => (await waiters()) === 1, 'the migrate to block inside its file');
      run.kill('SIGINT');
      const done = await run;
      expect(done.exitCode).toBe(130);
      // The interrupted run may or may not get to say more before the process exits.
      const first = 'beta-invites: interrupted by SIGINT';
      const more =
        '\nbeta-invites: migration 999_interrupted.sql was interrupted and rolled back' +
        '\n  rerun beta-invites migrate to apply it';
      expect([first, first + more]).toContain(done.stderr);
      // The gate is still held: only a cancelled statement lets the backend go now.
      await until(async () => !(await migrateLockHeld()), 'the server to drop the migrate lock');
    } finally {
      await gate`select pg_advisory_unlock(${GATE})`;
      gate.release();
    }
    const [row] = await sql<{ recorded: boolean; created: boolean }[]>`
      select
        exists (select 1 from public.beta_invites_schema_migrations
                where name = '999_interrupted.sql') as recorded,
        to_regclass('public.interrupted') is not null as created`;
    expect(row).toEqual({ recorded: false, created: false });
  });
});

describe.runIf(dbKind === 'embedded')(
  'two migrate processes on the embedded database',
  SLOW,
  () => {
    it('the second waits for the first to let go of the data directory, and applies nothing twice', async () => {
      const dir = folder('slow', '998_slow.sql', 'select pg_sleep(3);\n');
      await db.release();
      const lock = path.join(db.home, 'db.lock');
      const first = start(['migrate', '--dir', dir]);
      await until(
        () =>
          Promise.resolve(
            fs.existsSync(lock) &&
              fs.readFileSync(lock, 'utf8').split('\n')[0] === String(first.pid),
          ),
        'the first migrate to lock the data directory',
      );
      const second = await runCli(['migrate', '--dir', dir], { db });
      const done = await first;
      expect([done.exitCode, second.exitCode]).toEqual([0, 0]);
      expect(normalize(done.stdout, { [db.home]: 'HOME' })).toContain('applied 998_slow.sql');
      expect(second.stdout).not.toContain('applied 998_slow.sql');
      expect(fs.existsSync(lock)).toBe(false);
    });

    it('Ctrl-C during a migration exits 130 and leaves a usable data directory, unlocked', async () => {
      const dir = folder(
        'interrupted',
        '999_interrupted.sql',
        'create table public.interrupted (id int);\nselect pg_sleep(2);\n',
      );
      await db.release();
      const lock = path.join(db.home, 'db.lock');
      const run = start(['migrate', '--dir', dir]);
      await until(
        () => Promise.resolve(fs.existsSync(lock)),
        'the migrate to lock the data directory',
      );
      // Opening takes about a second: the signal lands while the file runs or just before.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      run.kill('SIGINT');
      const done = await run;
      expect(done.exitCode).toBe(130);
      expect(done.stderr).toContain('beta-invites: interrupted by SIGINT');
      expect(fs.existsSync(lock)).toBe(false);
      const status = await runCli(['migrate', '--status', '--dir', dir], { db });
      expect(status.exitCode).toBe(2);
      expect(status.stdout).toContain('  pending  999_interrupted.sql');
      const sql = await db.sql();
      const [row] = await sql<{ created: boolean }[]>`
      select to_regclass('public.interrupted') is not null as created`;
      expect(row?.created).toBe(false);
    });
  },
);
