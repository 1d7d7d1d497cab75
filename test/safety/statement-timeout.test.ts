import fs from 'node:fs';
import path from 'node:path';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions } from '../../src/core/db/database.js';
import { normalize, runCli } from '../helpers/cli.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/database.js';
import { addresses, makeOutdir } from '../helpers/outdir.js';
import { senderEnv, writeCohort } from '../helpers/render.js';

/**
 * The server cancels the tool's queries by statement_timeout (set for the database, as a
 * DBA would): each command says so in one line naming the database (exit 1), and
 * preflight still lists every check.
 */
let db: TestDatabase;
/** The test's own client, under another application_name and without the timeout. */
let own: Sql;
let name = '';

beforeAll(async () => {
  if (dbKind !== 'server') return;
  db = await createTestDatabase();
  own = postgres(db.url ?? '', {
    ...clientOptions,
    max: 2,
    connection: { application_name: 'beta-invites-test', statement_timeout: 0 },
  });
  [{ name } = { name: '' }] = await own<{ name: string }[]>`select current_database() as name`;
  writeCohort(db.home, 60, 'cohort.csv');
  fs.writeFileSync(
    path.join(db.home, 'monitor.json'),
    JSON.stringify({ timeoutSeconds: 5, gates: { signups: { min: 0 } } }),
  );
});
afterAll(async () => {
  await own?.end({ timeout: 1 });
  await db?.drop();
});

const clean = (text: string) => normalize(text).replaceAll(name, 'DB');

async function withTimeout(ms: number, fn: () => Promise<void>): Promise<void> {
  await own.unsafe(`alter database ${name} set statement_timeout = ${ms}`);
  try {
    await fn();
  } finally {
    await own.unsafe(`alter database ${name} reset statement_timeout`);
  }
}

/** Runs fn while the test holds the tables locked: the tool's reads wait, then time out. */
async function whileLocked(tables: string[], fn: () => Promise<void>): Promise<void> {
  const admin = await own.reserve();
  try {
    await admin`begin`;
    for (const table of tables) await admin.unsafe(`lock table ${table} in access exclusive mode`);
    await fn();
  } finally {
    await admin`rollback`;
    admin.release();
  }
}

describe.runIf(dbKind === 'server')(
  'statement timeouts (server only: PGlite ignores statement_timeout)',
  { timeout: 180_000 },
  () => {
    it('send: one line naming the database, exit 1, nothing written', async () => {
      const out = await makeOutdir({
        sql: own,
        emails: addresses(3, 'slow'),
        dir: path.join(db.home, 'out-slow'),
      });
      await withTimeout(300, () =>
        whileLocked(['public.beta_invites_schema_migrations'], async () => {
          const run = await runCli(['send', out.dir], { db });
          expect(run.exitCode).toBe(1);
          expect(clean(run.stderr)).toMatchInlineSnapshot(`
            "beta-invites: the database at 127.0.0.1:5432/DB cancelled the query: statement timeout
              a query ran longer than the server's statement_timeout (set for this role or database); rerun when the database is less busy, or raise it"
          `);
          expect(run.stdout).toBe('');
        }),
      );
      expect(fs.readdirSync(out.dir).filter((f) => !f.endsWith('.eml'))).toEqual([
        'manifest.jsonl',
      ]);
    });

    it('report: one line naming the database, exit 1', async () => {
      await withTimeout(300, () =>
        whileLocked(['public.beta_invites'], async () => {
          const run = await runCli(['report'], { db });
          expect(run.exitCode).toBe(1);
          expect(clean(run.stderr)).toMatchInlineSnapshot(`
            "beta-invites: the database at 127.0.0.1:5432/DB cancelled the query: statement timeout
              a query ran longer than the server's statement_timeout (set for this role or database); rerun when the database is less busy, or raise it"
          `);
          expect(run.stdout).toBe('');
        }),
      );
    });

    it('preflight: the checks the database times out are 🔴 with the reason, all others run', async () => {
      await withTimeout(300, () =>
        whileLocked(
          ['public.beta_invites_schema_migrations', 'public.users', 'public.beta_invites'],
          async () => {
            const run = await runCli(
              [
                'preflight',
                'cohort.csv',
                '--config',
                'monitor.json',
                '--check-users',
                '--smtp',
                'smtp://127.0.0.1:1',
                '--json',
              ],
              { db, env: senderEnv },
            );
            expect(run.exitCode, run.stderr).toBe(1);
            const { items } = JSON.parse(run.stdout) as {
              items: { id: string; state: string; detail: string }[];
            };
            expect(items.map((i) => `${i.id}: ${i.state}`)).toMatchInlineSnapshot(`
              [
                "database: pass",
                "migrations: fail",
                "users: pass",
                "send-database: pass",
                "cohort: fail",
                "templates: pass",
                "transport: fail",
                "monitor: pass",
                "gate:signups: fail",
                "gate:sentry: unknown",
                "gate:status_page: unknown",
                "gate:synthetic: unknown",
                "gate:k6_nightly: unknown",
                "gate:high_issues: unknown",
              ]
            `);
            expect(
              items
                .filter((i) => /statement timeout/.test(i.detail))
                .map((i) => `${i.id}: ${clean(i.detail)}`),
            ).toMatchInlineSnapshot(`
              [
                "migrations: the database at 127.0.0.1:5432/DB cancelled the query: statement timeout — a query ran longer than the server's statement_timeout (set for this role or database); rerun when the database is less busy, or raise it",
                "cohort: the database cancelled the query: statement timeout — a query ran longer than the server's statement_timeout (set for this role or database); rerun when the database is less busy, or raise it",
                "gate:signups: does not answer: database error: canceling statement due to statement timeout",
              ]
            `);
          },
        ),
      );
    });

    it('preflight with statement_timeout = 1 ms: every check listed, none an unexpected error', async () => {
      await withTimeout(1, async () => {
        const run = await runCli(
          [
            'preflight',
            'cohort.csv',
            '--config',
            'monitor.json',
            '--check-users',
            '--smtp',
            'smtp://127.0.0.1:1',
            '--json',
          ],
          { db, env: senderEnv },
        );
        expect(run.stderr).not.toMatch(/unexpected/);
        const { items } = JSON.parse(run.stdout) as { items: { id: string; detail: string }[] };
        expect(items.map((i) => i.id)).toEqual([
          'database',
          'migrations',
          'users',
          'send-database',
          'cohort',
          'templates',
          'transport',
          'monitor',
          'gate:signups',
          'gate:sentry',
          'gate:status_page',
          'gate:synthetic',
          'gate:k6_nightly',
          'gate:high_issues',
        ]);
        expect(items.filter((i) => /unexpected/.test(i.detail))).toEqual([]);
      });
    });
  },
);
