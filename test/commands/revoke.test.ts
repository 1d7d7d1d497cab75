import type { Sql } from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { DAY, at, insertInvites } from '../core/ops/invites.js';
import { useTestDatabase } from '../helpers/fixtures.js';

const NOW = new Date();
const LATER = at(NOW, 20 * DAY);
const PAST = new Date('2026-01-10T08:00:00Z');
const REDEEMED = new Date('2026-01-05T12:00:00Z');
const db = useTestDatabase();

beforeAll(async () => {
  const sql = await db.sql();
  // Distinct creation instants, so the listing order (oldest first) is fixed.
  const fixtures = [
    ['PATAAAAAAAAAAAA2', 'pat@example.org', 'creator-vinyl', LATER],
    ['PATBBBBBBBBBBBB2', 'pat@example.org', 'listener-jazz', LATER],
    ['PATCCCCCCCCCCCC2', 'Pat@Example.org', 'press-music', PAST],
    ['RITAAAAAAAAAAAA2', 'rita@example.org', 'creator-vinyl', LATER],
    ['RITBBBBBBBBBBBB2', 'rita@example.org', 'listener-jazz', LATER],
    ['QUINNNNNNNNNNNN2', 'quinn@example.org', 'creator-vinyl', LATER],
  ] as const;
  await insertInvites(
    sql,
    fixtures.map(([code, email, cohort, expiresAt], i) => ({
      code,
      email,
      cohort,
      expiresAt,
      createdAt: at(PAST, -(10 - i) * DAY),
      usedAt: code === 'RITAAAAAAAAAAAA2' ? REDEEMED : null,
    })),
  );
});

interface State {
  code: string;
  expires_at: string;
  revoked_at: string | null;
  revoke_reason: string | null;
  used_at: string | null;
}

async function states(sql: Sql): Promise<State[]> {
  return sql<State[]>`
    select code, expires_at::text, revoked_at::text, revoke_reason, used_at::text
    from public.beta_invites order by code`;
}

const clean = (text: string) =>
  normalize(text).replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, (d) =>
    d.startsWith('2026-01-10') ? d : 'DATE',
  );

describe('revoke', () => {
  it('--dry-run prints what would change and changes nothing', async () => {
    const before = await states(await db.sql());
    const run = await runCli(['revoke', 'quinn@example.org', '--dry-run'], { db });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout)).toMatchInlineSnapshot(`
      "Would revoke 1 pending invite of quinn@example.org:
        QUINNNNNNNNNNNN2  creator-vinyl  quinn@example.org  pending → revoked (expires now)
      Dry run: nothing was changed."
    `);
    expect(await states(await db.sql())).toEqual(before);
  });

  it('ends every pending invite of an address, records the reason, leaves the expired one', async () => {
    const before = await states(await db.sql());
    const run = await runCli(['revoke', 'PAT@example.ORG', '--reason', 'asked to be removed'], {
      db,
    });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout)).toMatchInlineSnapshot(`
      "Revoked 2 pending invites of PAT@example.ORG (reason: asked to be removed):
        PATAAAAAAAAAAAA2  creator-vinyl  pat@example.org  pending → revoked (expires DATE)
        PATBBBBBBBBBBBB2  listener-jazz  pat@example.org  pending → revoked (expires DATE)
      Left as they were:
        PATCCCCCCCCCCCC2  press-music  Pat@Example.org  already expired on 2026-01-10 08:00:00 UTC
      A later render of the same cohort will not invite this address again (it lists it in failed.csv)."
    `);
    const sql = await db.sql();
    const [{ now }] = (await sql`select now()::text as now`) as unknown as [{ now: string }];
    const after = await states(sql);
    for (const code of ['PATAAAAAAAAAAAA2', 'PATBBBBBBBBBBBB2']) {
      const row = after.find((r) => r.code === code);
      expect(row?.revoke_reason).toBe('asked to be removed');
      expect(row?.revoked_at).not.toBeNull();
      expect(row?.expires_at).toBe(row?.revoked_at);
      expect(new Date(row?.expires_at ?? '') <= new Date(now)).toBe(true);
    }
    const untouched = (r: State) => !r.code.startsWith('PATA') && !r.code.startsWith('PATB');
    expect(after.filter(untouched)).toEqual(before.filter(untouched));
  });

  it('is a no-op the second time', async () => {
    const before = await states(await db.sql());
    const run = await runCli(['revoke', 'pat@example.org'], { db });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout)).toMatchInlineSnapshot(`
      "Nothing to revoke for pat@example.org: no pending invite.
      Left as they were:
        PATAAAAAAAAAAAA2  creator-vinyl  pat@example.org  already revoked on DATE
        PATBBBBBBBBBBBB2  listener-jazz  pat@example.org  already revoked on DATE
        PATCCCCCCCCCCCC2  press-music  Pat@Example.org  already expired on 2026-01-10 08:00:00 UTC"
    `);
    expect(await states(await db.sql())).toEqual(before);
  });

  it('refuses a redeemed invite (exit 1) and changes nothing, even for the pending ones beside it', async () => {
    const before = await states(await db.sql());
    const code = await runCli(['revoke', 'rita-aaaa-aaaa-aaa2', '--reason', 'x'], { db });
    expect([code.exitCode, code.stdout, clean(code.stderr.split('\n').slice(-2).join('\n'))])
      .toMatchInlineSnapshot(`
        [
          1,
          "",
          "beta-invites: invite RITAAAAAAAAAAAA2 was redeemed on DATE: a redeemed invite cannot be revoked; nothing was changed
          the account exists now: deal with it in the application, not here",
        ]
      `);
    const email = await runCli(['revoke', 'rita@example.org'], { db });
    expect([email.exitCode, email.stdout, email.stderr.split('\n').slice(-2)])
      .toMatchInlineSnapshot(`
      [
        1,
        "",
        [
          "beta-invites: 1 of the 2 invite(s) of rita@example.org was redeemed (RITAAAAAAAAAAAA2): a redeemed invite cannot be revoked; nothing was changed",
          "  to end only the pending ones, revoke each by its code: beta-invites revoke CODE",
        ],
      ]
    `);
    expect(await states(await db.sql())).toEqual(before);
  });

  it('exits 1 for an unknown code and 64 for an empty or too long reason, changing nothing', async () => {
    const before = await states(await db.sql());
    const unknown = await runCli(['revoke', 'ZZZZ-ZZZZ-ZZZZ-ZZZZ'], { db });
    expect([unknown.exitCode, unknown.stdout, unknown.stderr.split('\n').slice(-2)])
      .toMatchInlineSnapshot(`
        [
          1,
          "",
          [
            "beta-invites: no invite found with code ZZZZZZZZZZZZZZZZ",
            "  codes are matched without case, spaces or dashes; check it with the recipient",
          ],
        ]
      `);
    const reason = await runCli(['revoke', 'quinn@example.org', '--reason', '  '], { db });
    expect([reason.exitCode, reason.stdout, reason.stderr]).toMatchInlineSnapshot(`
      [
        64,
        "",
        "beta-invites: --reason: expected a reason
        see beta-invites revoke --help",
      ]
    `);
    const long = await runCli(['revoke', 'quinn@example.org', '--reason', 'x'.repeat(501)], { db });
    expect([long.exitCode, long.stdout, long.stderr]).toMatchInlineSnapshot(`
      [
        64,
        "",
        "beta-invites: --reason: keep the reason under 500 characters
        see beta-invites revoke --help",
      ]
    `);
    expect(await states(await db.sql())).toEqual(before);
  });
});
