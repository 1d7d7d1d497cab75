import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeAddress, parseDatabaseUrl } from '../../src/core/db/url.js';
import { defaultMigrationsDir } from '../../src/core/migrations/files.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/database.js';
import { normalize, runCli } from '../helpers/cli.js';
import { useScratchDir, useTestDatabase } from '../helpers/fixtures.js';
import { closedPort } from '../helpers/http.js';

// Each embedded run starts PGlite (seconds, more on a loaded machine).
const SLOW = { timeout: 180_000 };

const scratch = useScratchDir('bi-migrate-cli-');
const db = useTestDatabase();

/** How the binary names the database under test. */
function label(of: TestDatabase): string {
  return of.url ? describeAddress(parseDatabaseUrl(of.url)) : path.join(of.home, 'db');
}

/** Output with the database's name, timestamps and durations made stable. */
function stable(text: string, of: TestDatabase = db): string {
  return normalize(text, { [label(of)]: 'DB', [scratch]: 'SCRATCH' })
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME')
    .replace(/[0-9a-f]{12}…/g, 'SHA…');
}

/** A copy of the bundled migrations plus `extra` files. */
function folder(name: string, extra: Record<string, string> = {}): string {
  const dir = path.join(scratch, name);
  fs.cpSync(defaultMigrationsDir, dir, { recursive: true });
  for (const [file, sql] of Object.entries(extra)) fs.writeFileSync(path.join(dir, file), sql);
  return dir;
}

/** The tracking table's rows and which of `relations` exist, in one visit to the database. */
async function inspect(...relations: string[]): Promise<{ tracking: string[]; exists: boolean[] }> {
  const sql = await db.sql();
  const rows = await sql<{ name: string; applied_at: string }[]>`
    select name, applied_at::text from public.beta_invites_schema_migrations order by name`;
  const exists: boolean[] = [];
  for (const name of relations) {
    const [row] = await sql<{ found: boolean }[]>`select to_regclass(${name}) is not null as found`;
    exists.push(row?.found === true);
  }
  return { tracking: rows.map((r) => `${r.name} ${r.applied_at}`), exists };
}

describe(`migrate (${dbKind})`, SLOW, () => {
  it('twice is a no-op', async () => {
    const before = await inspect();
    const first = await runCli(['migrate'], { db });
    const second = await runCli(['migrate'], { db });
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(stable(second.stdout)).toMatch(/^Nothing to apply on DB: up to date \(\d+ applied\)\.$/);
    expect(await inspect()).toEqual(before);
  });

  it('--status exits 0 when up to date, 2 with a pending file', async () => {
    const upToDate = await runCli(['migrate', '--status'], { db });
    expect(upToDate.exitCode).toBe(0);
    expect(stable(upToDate.stdout).split('\n').at(-1)).toBe('Up to date.');
    const dir = folder('status', {
      '997_pending.sql': 'create table public.pending_one (id int);\n',
    });
    const pending = await runCli(['migrate', '--status', '--dir', dir], { db });
    expect(pending.exitCode).toBe(2);
    expect(stable(pending.stdout).split('\n').slice(-2)).toMatchInlineSnapshot(`
      [
        "  pending  997_pending.sql",
        "1 pending: run beta-invites migrate",
      ]
    `);
    expect((await inspect('public.pending_one')).exists).toEqual([false]);
  });

  it('--dry-run prints the SQL and applies nothing', async () => {
    const sql = 'create table public.dry_one (id int);\n';
    const dir = folder('dry-run', { '997_dry.sql': sql });
    const before = await inspect('public.dry_one');
    const run = await runCli(['migrate', '--dry-run', '--dir', dir], { db });
    expect(run.exitCode).toBe(0);
    expect(stable(run.stdout)).toMatchInlineSnapshot(`
      "-- 997_dry.sql
      create table public.dry_one (id int);

      1 migration(s) would be applied on DB (dry run: nothing changed)."
    `);
    expect(await inspect('public.dry_one')).toEqual(before);
    expect(before.exists).toEqual([false]);
  });

  it('--json prints one document', async () => {
    const dir = folder('json', { '997_json.sql': 'create table public.json_one (id int);\n' });
    const run = await runCli(['migrate', '--json', '--dir', dir], { db });
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { mode: string; applied: { name: string }[] };
    expect(result.mode).toBe('apply');
    expect(result.applied.map((a) => a.name)).toEqual(['997_json.sql']);
    expect((await inspect('public.json_one')).exists).toEqual([true]);
  });

  it('reports an edited applied file as drift (exit 1), in migrate and in --status', async () => {
    const dir = folder('drift');
    fs.appendFileSync(path.join(dir, '990_beta_invites.sql'), '-- an afterthought\n');
    const before = await inspect();
    const run = await runCli(['migrate', '--dir', dir], { db });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(stable(run.stderr)).toMatchInlineSnapshot(`
      "beta-invites: migration drift: 990_beta_invites.sql changed after being applied (recorded sha256 SHA…, file SHA…)
        restore the applied file and put the change in a new migration file"
    `);
    const status = await runCli(['migrate', '--status', '--dir', dir], { db });
    expect(status.exitCode).toBe(1);
    expect(
      stable(status.stdout)
        .split('\n')
        .filter((l) => l.includes('990') || l.includes('changed')),
    ).toMatchInlineSnapshot(`
      [
        "  applied  990_beta_invites.sql  TIME  (N ms)  DRIFT: the file changed after it was applied",
        "1 applied file(s) changed: restore them and put the change in a new migration file",
      ]
    `);
    expect(await inspect()).toEqual(before);
  });

  it('rolls a failing file back and does not record it', async () => {
    const dir = folder('failing', {
      '997_bad.sql': 'create table public.half_done (id int);\nselect 1/0;\n',
    });
    const run = await runCli(['migrate', '--dir', dir], { db });
    expect(run.exitCode).toBe(1);
    expect(stable(run.stderr)).toMatchInlineSnapshot(`
      "beta-invites: migration 997_bad.sql failed and was rolled back: division by zero
        fix the file and rerun beta-invites migrate"
    `);
    const after = await inspect('public.half_done');
    expect(after.exists).toEqual([false]);
    expect(after.tracking.join('\n')).not.toContain('997_bad.sql');
  });

  it('applies a no-transaction file with CREATE INDEX CONCURRENTLY', async () => {
    const dir = folder('concurrently', {
      '997_concurrent.sql': [
        '-- beta-invites: no-transaction',
        '-- Builds the indexes without blocking writes to a live table.',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_test_used_at ON public.beta_invites (used_at);',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_test_created_at ON public.beta_invites (created_at);',
        '',
      ].join('\n'),
    });
    const run = await runCli(['migrate', '--dir', dir], { db });
    expect(run.exitCode).toBe(0);
    expect(stable(run.stdout)).toMatch(
      /^applied 997_concurrent\.sql \(N ms\)\n1 migration\(s\) applied on DB\.$/,
    );
    const after = await inspect('public.idx_test_used_at', 'public.idx_test_created_at');
    expect(after.exists).toEqual([true, true]);
    expect(after.tracking.join('\n')).toContain('997_concurrent.sql');
  });

  it('says which --dir it cannot read', async () => {
    const run = await runCli(['migrate', '--dir', path.join(scratch, 'nope')], { db });
    expect(run.exitCode).toBe(1);
    expect(stable(run.stderr)).toMatchInlineSnapshot(`
      "beta-invites: cannot read the migrations folder SCRATCH/nope
        check --dir"
    `);
  });
});

describe.runIf(dbKind === 'server')('migrate on a server without public.users', SLOW, () => {
  it('exits 1 naming the table, and creates nothing', async () => {
    const bare = await createTestDatabase({ users: false });
    try {
      const run = await runCli(['migrate'], { db: bare });
      expect(run.exitCode).toBe(1);
      expect(stable(run.stderr, bare)).toMatchInlineSnapshot(`
        "beta-invites: table public.users is missing on DB
          run the host application's migrations first (beta_invites.sent_by references public.users), then beta-invites migrate"
      `);
      const sql = await bare.sql();
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from pg_tables where schemaname = 'public'`;
      expect(row?.n).toBe(0);
    } finally {
      await bare.drop();
    }
  });
});

describe('migrate without a reachable server', SLOW, () => {
  it('names host and port in one line, never the password (exit 1)', async () => {
    const port = await closedPort();
    const urls = [
      `postgres://bob:s3cret-pw@127.0.0.1:${port}/app`,
      'postgres://bob:s3cret-pw@127.0.0.1:not-a-port/app',
      'postgres://bob:s3cret/pw@db.example.org:5432/app',
    ];
    const runs = await Promise.all(
      urls.map((url) =>
        runCli(['migrate', '--debug'], { cwd: scratch, env: { DATABASE_URL: url } }),
      ),
    );
    expect(runs.map((r) => r.exitCode)).toEqual([1, 1, 1]);
    for (const run of runs) {
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('s3cret');
      expect(run.stderr).not.toContain('pw@');
    }
    expect(runs.map((r) => r.stderr.replace(String(port), 'PORT'))).toMatchInlineSnapshot(`
      [
        "beta-invites: cannot connect to the database at 127.0.0.1:PORT/app: connection refused
        check that the server is running and DATABASE_URL is right",
        "beta-invites: DATABASE_URL is not a valid URL (host "127.0.0.1", port "not-a-port")
        expected postgres://HOST:PORT/DATABASE with USER:PASSWORD@ before HOST; percent-encode / @ : # ? in the password",
        "beta-invites: DATABASE_URL is not a valid URL (host "db.example.org", port "5432")
        expected postgres://HOST:PORT/DATABASE with USER:PASSWORD@ before HOST; percent-encode / @ : # ? in the password",
      ]
    `);
  });
});
