import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { manifestOf, senderEnv, writeCohort } from '../helpers/render.js';
import { randomCode } from '../core/ops/invites.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function inviteCount(): Promise<number> {
  const sql = await db.sql();
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.beta_invites`;
  await db.release();
  return row?.n ?? 0;
}

describe('render --expires-in is bounded', () => {
  it.each([['99999999d'], ['366d'], ['53w']])(
    'refuses %s before anything is touched (exit 64)',
    async (value) => {
      const cohort = writeCohort(db.home, 60, `bound-${value}.csv`, `bound${value}`);
      const out = path.join(db.home, `out-${value}`);
      const before = await inviteCount();
      const run = await runCli(['render', cohort, '--out', out, '--expires-in', value], {
        db,
        env: senderEnv,
      });
      expect(run.exitCode).toBe(64);
      expect(normalize(run.stderr).replace(value, 'VALUE')).toMatchInlineSnapshot(`
        "beta-invites: --expires-in: "VALUE" is longer than the maximum, 365 days
          give at most 365 days (for example 30d or 12w)"
      `);
      expect(run.stdout).toBe('');
      expect(await inviteCount()).toBe(before);
      expect(fs.existsSync(out)).toBe(false);
    },
  );
});

describe('an expiry beyond what a JavaScript date can hold', () => {
  // Year 275817 is what `--expires-in 99999999d` used to write; PostgreSQL holds it.
  const far = { email: 'far@example.org', cohort: 'creator-vinyl', code: randomCode() };
  const endless = { email: 'endless@example.org', cohort: 'listener-jazz', code: randomCode() };

  beforeAll(async () => {
    const sql = await db.sql();
    await sql`
      insert into public.beta_invites (code, email, cohort, expires_at)
      values (${far.code}, ${far.email}, ${far.cohort}, '275817-01-01 00:00:00+00'),
             (${endless.code}, ${endless.email}, ${endless.cohort}, 'infinity')`;
    await db.release();
  });

  it('does not break show: the date is capped, the real value kept as text', async () => {
    const text = await runCli(['show', far.code], { db });
    expect(normalize(text.stderr)).toBe('');
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(
      /expires +never in practice \(275817-01-01 00:00:00\+00 in the database\)/,
    );
    const json = await runCli(['show', endless.email, '--json'], { db });
    expect(json.exitCode).toBe(0);
    const shown = JSON.parse(json.stdout) as {
      invites: { state: string; expiresAt: string; expiresAtText: string | null }[];
    };
    expect(shown.invites).toEqual([
      expect.objectContaining({
        state: 'pending',
        expiresAt: '9999-12-31T00:00:00.000Z',
        expiresAtText: 'infinity',
      }),
    ]);
  });

  it('does not break report: both count as pending', async () => {
    const run = await runCli(['report', '--json'], { db });
    expect(normalize(run.stderr)).toBe('');
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as { total: { pending: number } };
    expect(report.total.pending).toBeGreaterThanOrEqual(2);
  });

  it('does not break render: their invites are reused, with the capped date', async () => {
    const file = path.join(db.home, 'far.csv');
    fs.writeFileSync(
      file,
      `email,cohort,name\n${far.email},${far.cohort},Far\n${endless.email},${endless.cohort},End\n`,
    );
    const out = path.join(db.home, 'out-far');
    const run = await runCli(['render', file, '--out', out, '--force'], { db, env: senderEnv });
    expect(normalize(run.stderr)).toBe('');
    expect(run.exitCode).toBe(0);
    const rows = manifestOf(out) as { email: string; code: string; expiresAt?: string }[];
    expect(rows.map((r) => [r.email, r.code, r.expiresAt])).toEqual([
      [far.email, far.code, '9999-12-31T00:00:00.000Z'],
      [endless.email, endless.code, '9999-12-31T00:00:00.000Z'],
    ]);
    const eml = fs.readFileSync(path.join(out, manifestOf(out)[0]?.file ?? ''), 'utf8');
    expect(eml).toContain('9999');
  });
});
