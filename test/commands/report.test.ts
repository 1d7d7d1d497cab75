import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DAY, HOUR, at, insertInvites } from '../core/ops/invites.js';
import { useTestDatabase } from '../helpers/fixtures.js';

// The binary judges states at its own clock: fixtures sit days away from it, and the exact
// expiry instant is pinned in test/core/ops/report.test.ts with a fixed clock.
const NOW = new Date();
const db = useTestDatabase();

beforeAll(async () => {
  const sql = await db.sql();
  const sent = at(NOW, -3 * DAY);
  const old = at(NOW, -10 * DAY);
  await insertInvites(sql, [
    {
      email: 'a@example.com',
      cohort: 'creator-jazz',
      createdAt: old,
      sentAt: sent,
      usedAt: at(sent, 2 * HOUR),
      expiresAt: at(NOW, 20 * DAY),
    },
    {
      email: 'b@example.com',
      cohort: 'creator-jazz',
      createdAt: old,
      sentAt: sent,
      expiresAt: at(NOW, 20 * DAY),
    },
    {
      email: 'c@example.com',
      cohort: 'creator-jazz',
      createdAt: old,
      sentAt: sent,
      expiresAt: at(NOW, -DAY),
    },
    {
      email: 'd@example.com',
      cohort: 'listener-rock',
      createdAt: at(NOW, -DAY),
      expiresAt: at(NOW, -HOUR),
      revokedAt: at(NOW, -HOUR),
    },
    {
      email: 'e@example.com',
      cohort: '=HYPERLINK("http://x")',
      createdAt: old,
      expiresAt: at(NOW, DAY),
    },
  ]);
});

const asOf = (text: string) =>
  text.replace(/as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'as of NOW');

describe('report', () => {
  it('prints one aligned row per cohort and the total', async () => {
    const run = await runCli(['report'], { db });
    expect(run.exitCode).toBe(0);
    expect(asOf(run.stdout)).toMatchInlineSnapshot(`
      "Invites by cohort, as of NOW:

      cohort                  invited  sent  redeemed  pending  expired  revoked  bounced  failed   rate  median sent→redeemed
      =HYPERLINK("http://x")        1     0         0        1        0        0        0       0   0.0%  –
      creator-jazz                  3     3         1        1        1        0        0       0  33.3%  2h
      listener-rock                 1     0         0        0        0        1        0       0   0.0%  –
      total                         5     3         1        2        1        1        0       0  20.0%  2h

      rate = redeemed ÷ invited; expired = past expires_at (at the instant itself) and never redeemed; the median covers invites both sent and redeemed
      bounced = a hard (5.x.x) bounce; failed = bounced only: pass --out DIR to add the permanent failures of send-failed.jsonl"
    `);
  });

  it('writes formula-safe CSV with a level column', async () => {
    const run = await runCli(['report', '--format', 'csv', '--cohort', 'creator'], { db });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\r\n')).toMatchInlineSnapshot(`
      [
        "level,cohort,invited,sent,redeemed,pending,expired,revoked,bounced,failed,redemption_rate,median_seconds_sent_to_redeemed",
        "cohort,creator-jazz,3,3,1,1,1,0,0,0,0.3333,7200",
        "total,,3,3,1,1,1,0,0,0,0.3333,7200",
      ]
    `);
    const formula = await runCli(['report', '--format', 'csv', '--cohort', '='], { db });
    expect(formula.stdout.split('\r\n')[1]).toBe(
      `cohort,"'=HYPERLINK(""http://x"")",1,0,0,1,0,0,0,0,0.0000,`,
    );
  });

  it('prints one JSON document with --json, the same as --format json', async () => {
    const run = await runCli(['report', '--json', '--since', at(NOW, -2 * DAY).toISOString()], {
      db,
    });
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      cohortPrefix: null,
      cohorts: [
        {
          cohort: 'listener-rock',
          invited: 1,
          sent: 0,
          redeemed: 0,
          pending: 0,
          expired: 0,
          revoked: 1,
          redemptionRate: 0,
          medianSecondsToRedeem: null,
        },
      ],
      total: { cohort: null, invited: 1, revoked: 1 },
    });
    const same = await runCli(
      ['report', '--format', 'json', '--since', at(NOW, -2 * DAY).toISOString()],
      { db },
    );
    expect((JSON.parse(same.stdout) as { total: unknown }).total).toEqual(report.total);
  });

  it('says so when nothing matches', async () => {
    const run = await runCli(['report', '--cohort', 'press'], { db });
    expect(run.exitCode).toBe(0);
    expect(asOf(run.stdout)).toBe('No invites (as of NOW, cohorts starting with "press").');
  });

  it('refuses a bad --since, a bad --format and contradictory formats (exit 64)', async () => {
    const since = await runCli(['report', '--since', 'yesterday'], { db });
    expect([since.exitCode, since.stdout, since.stderr]).toMatchInlineSnapshot(`
      [
        64,
        "",
        "beta-invites: --since: "yesterday" is not a date
        use YYYY-MM-DD (midnight UTC) or an ISO 8601 time with its offset, such as 2026-05-01T18:00:00Z",
      ]
    `);
    const format = await runCli(['report', '--format', 'xml'], { db });
    expect([format.exitCode, format.stdout, format.stderr]).toMatchInlineSnapshot(`
      [
        64,
        "",
        "beta-invites: --format: expected table, csv or json
        see beta-invites report --help",
      ]
    `);
    const both = await runCli(['report', '--json', '--format', 'csv'], { db });
    expect([both.exitCode, both.stdout, both.stderr]).toMatchInlineSnapshot(`
      [
        64,
        "{
        "error": "--json and --format csv disagree",
        "hint": "give one of them",
        "exitCode": 64
      }",
        "beta-invites: --json and --format csv disagree
        give one of them",
      ]
    `);
  });
});
