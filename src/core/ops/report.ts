import type { Fragment, Sql } from 'postgres';
import { csvDocument, type CsvCell } from '../csv-write.js';
import { stateConditions } from './lookup.js';

/** One line of the attribution report: a cohort, or the total of the selection. */
export interface ReportRow {
  /** The cohort label; null on the total line. */
  cohort: string | null;
  invited: number;
  /** Handed to the mail transport by `send` (`sent_at` set). */
  sent: number;
  redeemed: number;
  pending: number;
  expired: number;
  revoked: number;
  /** Invites with a hard bounce (a 5.x.x DSN recorded by `bounces`). */
  bounced: number;
  /**
   * Invites that will not reach their recipient: a hard bounce, or a permanent send failure
   * (`filter.sendFailed`, from send-failed.jsonl) not followed by a successful send.
   */
  failed: number;
  /** redeemed ÷ invited, between 0 and 1 (null when nothing was invited). */
  redemptionRate: number | null;
  /** Median of `used_at − sent_at` over invites both sent and redeemed, in seconds. */
  medianSecondsToRedeem: number | null;
}

export interface ReportFilter {
  /** The instant states are judged at (`expires_at <= asOf` is expired). */
  asOf: Date;
  /** Only invites created at or after this instant. */
  since?: Date;
  /** Only cohorts whose label starts with this text. */
  cohortPrefix?: string;
  /**
   * Invites a render folder's send-failed.jsonl gives up on permanently: the database does
   * not know them. Without it, `failed` counts hard bounces only.
   */
  sendFailed?: string[];
}

export interface AttributionReport {
  cohorts: ReportRow[];
  total: ReportRow;
}

interface Row extends Omit<ReportRow, 'redemptionRate'> {
  is_total: boolean;
}

/** `LIKE` pattern matching texts that start with `prefix` literally. */
export function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/**
 * The report in one statement and one pass over the table. The counts and, per cohort, the
 * sent→redeemed delays are gathered by hashing on `cohort` (a sequential scan, shared by
 * the parallel workers: the table is read whole anyway, and an index scan in cohort order
 * visits the heap at random); the medians are then taken over each cohort's delays and
 * over all of them, so that no sort of the table by cohort is needed. The delays are
 * gathered by `beta_invites_collect` (migration 997), not array_agg, which PostgreSQL 15
 * cannot split over parallel workers, and are `date_part` (float8), not `extract`
 * (numeric since PostgreSQL 14). On a million invites, in fresh sessions on a 2-CPU
 * server: 412 ms, against 570 ms with array_agg and extract, and 187 ms for a bare
 * `group by cohort`. The states are counted with the conditions `show`'s
 * state rule is made of (`stateConditions`): a simple test each, not a CASE to compare.
 * Bounced and failed invites are few: they are counted apart, from the hard bounces and
 * the send failures looked up by key, instead of joining every invite to the bounces.
 * The prefix is a `LIKE 'prefix%'` so that a C-collated cohort index can serve it.
 */
export async function attributionReport(
  sql: Sql,
  filter: ReportFilter,
): Promise<AttributionReport> {
  const is = stateConditions(sql, filter.asOf);
  const median = (values: Fragment) =>
    sql`(select percentile_cont(0.5) within group (order by d) from ${values} d)`;
  const sendFailed = filter.sendFailed ?? [];
  const selected = sql`${filter.since ? sql`b.created_at >= ${filter.since}::timestamptz` : sql`true`}
    and ${filter.cohortPrefix !== undefined ? sql`b.cohort like ${likePrefix(filter.cohortPrefix)}` : sql`true`}`;
  const hardBounced = (id: Fragment) =>
    sql`exists (select 1 from public.beta_invites_bounces x
      where x.invite_id = ${id} and x.kind = 'hard')`;
  const rows = await sql<Row[]>`
    with per_cohort as materialized (
      select b.cohort,
        count(*)::int as invited,
        count(b.sent_at)::int as sent,
        count(*) filter (where ${is.redeemed})::int as redeemed,
        count(*) filter (where ${is.pending})::int as pending,
        count(*) filter (where ${is.expired})::int as expired,
        count(*) filter (where ${is.revoked})::int as revoked,
        public.beta_invites_collect(date_part('epoch', b.used_at - b.sent_at))
          filter (where b.used_at is not null and b.sent_at is not null) as delays
      from public.beta_invites b
      where ${selected}
      group by b.cohort),
    flagged as (
      select b.cohort,
        count(*) filter (where f.hard)::int as bounced,
        count(*)::int as failed
      from (select invite_id as id from public.beta_invites_bounces where kind = 'hard'
            union select unnest(${sendFailed}::uuid[])) c
      join public.beta_invites b on b.id = c.id
      cross join lateral (select ${hardBounced(sql`b.id`)} as hard) f
      where (f.hard or (b.sent_at is null and b.id = any(${sendFailed}::uuid[])))
        and ${selected}
      group by b.cohort),
    counted as (
      select p.*, coalesce(f.bounced, 0) as bounced, coalesce(f.failed, 0) as failed
      from per_cohort p left join flagged f on f.cohort = p.cohort)
    select false as is_total, cohort, invited, sent, redeemed, pending, expired, revoked,
      bounced, failed, ${median(sql`unnest(delays)`)} as "medianSecondsToRedeem"
    from counted
    union all
    select true, null, coalesce(sum(invited), 0)::int, coalesce(sum(sent), 0)::int,
      coalesce(sum(redeemed), 0)::int, coalesce(sum(pending), 0)::int,
      coalesce(sum(expired), 0)::int, coalesce(sum(revoked), 0)::int,
      coalesce(sum(bounced), 0)::int, coalesce(sum(failed), 0)::int,
      ${median(sql`per_cohort p cross join unnest(p.delays)`)}
    from counted
    order by is_total, cohort`;
  const lines = rows.map(({ is_total, ...row }): ReportRow & { total: boolean } => ({
    ...row,
    cohort: is_total ? null : row.cohort,
    redemptionRate: row.invited > 0 ? row.redeemed / row.invited : null,
    total: is_total,
  }));
  const strip = ({ total: _total, ...row }: ReportRow & { total: boolean }): ReportRow => row;
  const total = lines.find((l) => l.total);
  return {
    cohorts: lines.filter((l) => !l.total).map(strip),
    total: total ? strip(total) : emptyRow(),
  };
}

function emptyRow(): ReportRow {
  return {
    cohort: null,
    invited: 0,
    sent: 0,
    redeemed: 0,
    pending: 0,
    expired: 0,
    revoked: 0,
    bounced: 0,
    failed: 0,
    redemptionRate: null,
    medianSecondsToRedeem: null,
  };
}

/** The counted columns, in the order the table and the CSV show them. */
export const REPORT_COUNTS = [
  ...['invited', 'sent', 'redeemed', 'pending', 'expired', 'revoked'],
  ...['bounced', 'failed'],
] as const;

/** The columns of `report --format csv`. */
export const REPORT_CSV_HEADER = [
  'level',
  'cohort',
  ...REPORT_COUNTS,
  'redemption_rate',
  'median_seconds_sent_to_redeemed',
];

function csvCells(level: 'cohort' | 'total', row: ReportRow): CsvCell[] {
  return [
    level,
    row.cohort ?? '',
    ...REPORT_COUNTS.map((key) => row[key]),
    row.redemptionRate === null ? null : row.redemptionRate.toFixed(4),
    row.medianSecondsToRedeem === null ? null : Math.round(row.medianSecondsToRedeem * 1000) / 1000,
  ];
}

/**
 * `report --format csv`: RFC 4180, one line per cohort and the total, through the CSV
 * writer that also writes failed.csv (cohort labels made formula-safe).
 */
export function reportCsv(report: AttributionReport): string {
  return csvDocument(REPORT_CSV_HEADER, [
    ...report.cohorts.map((row) => csvCells('cohort', row)),
    csvCells('total', report.total),
  ]);
}
