import type { Sql } from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dbKind } from '../helpers/database.js';
import { DAY, at, insertInvites } from '../core/ops/invites.js';
import { SWEEP_LOCK } from '../../src/core/ops/sweep.js';
import { useTestDatabase } from '../helpers/fixtures.js';

const NOW = new Date();
const db = useTestDatabase();

// Around a 30-day window: two long expired and never redeemed (one revoked), one expired
// within the window, one redeemed long ago, one pending. The address of the first two
// appears nowhere else (another row keeps one of them in a different case: it must stay).
beforeAll(async () => {
  const sql = await db.sql();
  await insertInvites(sql, [
    { email: 'old.one@example.org', cohort: 'creator-vinyl', expiresAt: at(NOW, -40 * DAY) },
    {
      email: 'old.two@example.org',
      cohort: 'press-music',
      expiresAt: at(NOW, -31 * DAY),
      revokedAt: at(NOW, -31 * DAY),
    },
    { email: 'recent@example.org', cohort: 'creator-vinyl', expiresAt: at(NOW, -29 * DAY) },
    {
      email: 'member@example.org',
      cohort: 'listener-jazz',
      expiresAt: at(NOW, -60 * DAY),
      usedAt: at(NOW, -70 * DAY),
    },
    { email: 'pending@example.org', cohort: 'listener-jazz', expiresAt: at(NOW, 5 * DAY) },
  ]);
});

/** Rows whose text form (every column) contains `needle`, case-insensitively. */
async function rowsContaining(sql: Sql, needle: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.beta_invites b
    where strpos(lower(b::text), lower(${needle})) > 0`;
  return row?.n ?? -1;
}

async function table(sql: Sql) {
  return sql`select * from public.beta_invites order by created_at, id`;
}

describe('sweep', () => {
  it('--dry-run counts and changes nothing', async () => {
    const before = await table(await db.sql());
    const run = await runCli(['sweep', '--dry-run'], { db });
    expect([run.exitCode, run.stdout]).toMatchInlineSnapshot(`
      [
        0,
        "Sweep (anonymise addresses 30d after expiry):
        expired, never redeemed               3
        would be anonymised now               2
        kept until 30d after expiry           1
        anonymised by an earlier sweep        0
      Dry run: nothing was changed.",
      ]
    `);
    expect(await table(await db.sql())).toEqual(before);
  });

  it('anonymises the address of invites never redeemed and expired longer than the window ago', async () => {
    const run = await runCli(['sweep', '--anonymize-after', '30d', '--json'], { db });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      anonymizeAfter: '30d',
      windowSeconds: 30 * 86_400,
      dryRun: false,
      expired: 3,
      anonymized: 2,
      waiting: 1,
      alreadyAnonymized: 0,
    });
    const sql = await db.sql();
    expect(await rowsContaining(sql, 'old.one@example.org')).toBe(0);
    expect(await rowsContaining(sql, 'old.two@example.org')).toBe(0);
    expect(await rowsContaining(sql, 'old.one')).toBe(0);
    for (const kept of ['recent@', 'member@', 'pending@']) {
      expect(await rowsContaining(sql, kept)).toBe(1);
    }
    const anonymised = await sql<{ email: string; cohort: string; anonymized_at: Date | null }[]>`
      select email, cohort, anonymized_at from public.beta_invites
      where anonymized_at is not null order by cohort`;
    expect(anonymised.map((r) => r.cohort)).toEqual(['creator-vinyl', 'press-music']);
    for (const row of anonymised) {
      expect(row.email).toMatch(/^anonymized\+[0-9a-f-]{36}@invalid$/);
    }
    expect(anonymised[0]?.email).not.toBe(anonymised[1]?.email);
    const [{ n }] = (await sql`select count(*)::int as n from public.beta_invites`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(5);
  });

  it('changes nothing the second time', async () => {
    const before = await table(await db.sql());
    const run = await runCli(['sweep'], { db });
    expect([run.exitCode, run.stdout]).toMatchInlineSnapshot(`
      [
        0,
        "Sweep (anonymise addresses 30d after expiry):
        expired, never redeemed               3
        anonymised now                        0
        kept until 30d after expiry           1
        anonymised by an earlier sweep        2",
      ]
    `);
    expect(await table(await db.sql())).toEqual(before);
  });

  it('refuses a bad duration (64) before touching the database', async () => {
    for (const value of ['30', 'soon', '0d', '-3d']) {
      const run = await runCli(['sweep', '--anonymize-after', value], { db });
      expect([run.exitCode, run.stdout, run.stderr]).toEqual([
        64,
        '',
        `beta-invites: --anonymize-after: "${value}" is not a duration\n  use a number and a unit: 30d, 12h, 90m, 2w, 45s`,
      ]);
    }
  });

  it.runIf(dbKind === 'server')(
    'fails fast while another sweep holds the lock (exit 1), changing nothing',
    async () => {
      const sql = await db.sql();
      const holder = await sql.reserve();
      try {
        await holder`select pg_advisory_lock(${SWEEP_LOCK}::bigint)`;
        await sql`update public.beta_invites set expires_at = now() - interval '90 days' where email = 'recent@example.org'`;
        const run = await runCli(['sweep'], { db });
        expect([run.exitCode, run.stdout, run.stderr.replace(/ on \S+ \(/, ' on DB (')])
          .toMatchInlineSnapshot(`
          [
            1,
            "",
            "beta-invites: another sweep is running on DB (advisory lock 7418326603 is held)
            nothing was changed; let it finish, the next run will pick up anything left",
          ]
        `);
        expect(await rowsContaining(sql, 'recent@example.org')).toBe(1);
      } finally {
        await holder`select pg_advisory_unlock(${SWEEP_LOCK}::bigint)`;
        holder.release();
      }
    },
  );

  it.runIf(dbKind === 'embedded')(
    'on the embedded database, a second process waits, then is refused by the lock file (exit 1)',
    async () => {
      await db.sql(); // this process now holds the embedded directory
      const run = await runCli(['sweep'], { env: db.env, cwd: db.home });
      expect(run.exitCode).toBe(1);
      expect(
        run.stderr.replace(db.home, 'HOME').replace(/process \d+ \([^)]*\)/, 'process PID (TEST)'),
      ).toMatchInlineSnapshot(`
        "beta-invites: the embedded database at HOME/db is in use by process PID (TEST), still after waiting 10 s
          wait for that command to finish, or stop it; set DATABASE_URL to share a server instead"
      `);
    },
  );
});
