import type { Sql } from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributionReport, likePrefix } from '../../../src/core/ops/report.js';
import { DAY, HOUR, SECOND, at, insertInvites } from './invites.js';
import { useTestDatabase } from '../../helpers/fixtures.js';

// Every state is judged at T, passed in as the run's clock: the boundary rows below sit
// exactly on T and one millisecond after it.
const T = new Date('2026-06-01T12:00:00.000Z');
const SENT = at(T, -10 * DAY);
const OLD = at(T, -20 * DAY);
const RECENT = at(T, -2 * DAY);

const db = useTestDatabase();
let sql: Sql;

beforeAll(async () => {
  sql = await db.sql();
  const e = (n: string) => `${n}@example.com`;
  await insertInvites(sql, [
    // creator-jazz: 2 redeemed (1 h, 3 h after sending), expired at T exactly, pending
    // 1 ms past T, revoked. An even count: the median is the mean of {3600, 10800} = 7200 s.
    {
      email: e('a'),
      cohort: 'creator-jazz',
      createdAt: OLD,
      sentAt: SENT,
      usedAt: at(SENT, HOUR),
      expiresAt: at(T, 20 * DAY),
    },
    {
      email: e('b'),
      cohort: 'creator-jazz',
      createdAt: OLD,
      sentAt: SENT,
      usedAt: at(SENT, 3 * HOUR),
      expiresAt: at(T, 20 * DAY),
    },
    { email: e('c'), cohort: 'creator-jazz', createdAt: OLD, sentAt: SENT, expiresAt: T },
    { email: e('d'), cohort: 'creator-jazz', createdAt: OLD, sentAt: SENT, expiresAt: at(T, 1) },
    {
      email: e('e'),
      cohort: 'creator-jazz',
      createdAt: OLD,
      expiresAt: at(T, -DAY),
      revokedAt: at(T, -DAY),
    },
    // creator-vinyl: 3 sent and redeemed after 600, 1200, 86400 s (median 1200) and one
    // redeemed without a sent_at (counted as redeemed, not in the median).
    {
      email: e('f'),
      cohort: 'creator-vinyl',
      createdAt: OLD,
      sentAt: SENT,
      usedAt: at(SENT, 600 * SECOND),
      expiresAt: at(T, -5 * DAY),
    },
    {
      email: e('g'),
      cohort: 'creator-vinyl',
      createdAt: OLD,
      sentAt: SENT,
      usedAt: at(SENT, 1200 * SECOND),
      expiresAt: at(T, 5 * DAY),
    },
    {
      email: e('h'),
      cohort: 'creator-vinyl',
      createdAt: OLD,
      sentAt: SENT,
      usedAt: at(SENT, DAY),
      expiresAt: at(T, 5 * DAY),
    },
    {
      email: e('i'),
      cohort: 'creator-vinyl',
      createdAt: OLD,
      usedAt: at(T, -HOUR),
      expiresAt: at(T, 5 * DAY),
    },
    // listener-rock, created recently: one pending and sent, one expired never sent.
    {
      email: e('j'),
      cohort: 'listener-rock',
      createdAt: RECENT,
      sentAt: RECENT,
      expiresAt: at(T, DAY),
    },
    { email: e('k'), cohort: 'listener-rock', createdAt: RECENT, expiresAt: at(T, -5 * DAY) },
    // LIKE wildcards in labels: "press_fr" must not match the prefix "pressx".
    { email: e('l'), cohort: 'press_fr', createdAt: OLD, expiresAt: at(T, DAY) },
    { email: e('m'), cohort: 'pressxfr', createdAt: OLD, expiresAt: at(T, DAY) },
  ]);
});

const row = (
  cohort: string | null,
  counts: number[],
  rate: number | null,
  median: number | null,
) => ({
  cohort,
  invited: counts[0],
  sent: counts[1],
  redeemed: counts[2],
  pending: counts[3],
  expired: counts[4],
  revoked: counts[5],
  // No bounces here: test/core/bounces/integration.test.ts counts them.
  bounced: 0,
  failed: 0,
  redemptionRate: rate,
  medianSecondsToRedeem: median,
});

describe('attributionReport', () => {
  it('counts each cohort and the total by hand-computed figures', async () => {
    const report = await attributionReport(sql, { asOf: T });
    expect(report.cohorts).toEqual([
      row('creator-jazz', [5, 4, 2, 1, 1, 1], 2 / 5, 7200),
      row('creator-vinyl', [4, 3, 4, 0, 0, 0], 1, 1200),
      row('listener-rock', [2, 1, 0, 1, 1, 0], 0, null),
      row('press_fr', [1, 0, 0, 1, 0, 0], 0, null),
      row('pressxfr', [1, 0, 0, 1, 0, 0], 0, null),
    ]);
    // All five sent→redeemed delays: 600, 1200, 3600, 10800, 86400 → median 3600.
    expect(report.total).toEqual(row(null, [13, 8, 6, 4, 2, 1], 6 / 13, 3600));
  });

  it('calls an invite expired from its expiry instant on, pending one millisecond before', async () => {
    const before = await attributionReport(sql, { asOf: at(T, -1), cohortPrefix: 'creator-jazz' });
    expect(before.total).toMatchObject({ pending: 2, expired: 0 });
    const exact = await attributionReport(sql, { asOf: T, cohortPrefix: 'creator-jazz' });
    expect(exact.total).toMatchObject({ pending: 1, expired: 1 });
    const after = await attributionReport(sql, { asOf: at(T, 1), cohortPrefix: 'creator-jazz' });
    expect(after.total).toMatchObject({ pending: 0, expired: 2 });
  });

  it('filters by cohort prefix', async () => {
    const report = await attributionReport(sql, { asOf: T, cohortPrefix: 'creator' });
    expect(report.cohorts.map((r) => r.cohort)).toEqual(['creator-jazz', 'creator-vinyl']);
    // 600, 1200, 3600, 10800, 86400 → 3600.
    expect(report.total).toEqual(row(null, [9, 7, 6, 1, 1, 1], 6 / 9, 3600));
  });

  it('treats _ and % in the prefix as text', async () => {
    const under = await attributionReport(sql, { asOf: T, cohortPrefix: 'press_' });
    expect(under.cohorts.map((r) => r.cohort)).toEqual(['press_fr']);
    const percent = await attributionReport(sql, { asOf: T, cohortPrefix: '%' });
    expect(percent.cohorts).toEqual([]);
    expect(likePrefix('a_b%c\\')).toBe('a\\_b\\%c\\\\%');
  });

  it('keeps only invites created since the given instant', async () => {
    const report = await attributionReport(sql, { asOf: T, since: at(T, -3 * DAY) });
    expect(report.cohorts).toEqual([row('listener-rock', [2, 1, 0, 1, 1, 0], 0, null)]);
    expect(report.total).toEqual(row(null, [2, 1, 0, 1, 1, 0], 0, null));
  });

  it('gives a zero total and no cohorts when nothing matches', async () => {
    const report = await attributionReport(sql, { asOf: T, cohortPrefix: 'nobody' });
    expect(report.cohorts).toEqual([]);
    expect(report.total).toEqual(row(null, [0, 0, 0, 0, 0, 0], null, null));
  });
});
