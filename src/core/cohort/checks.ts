import type { IssueLog, IssueType } from './issues.js';

/** The soft thresholds of the cohort's shape. */
export interface Thresholds {
  minTotal: number;
  minCreators: number;
  minLabels: number;
  checkUsers: boolean;
}

/** One line of the report: a check with its status and counts. */
export interface Check {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'warn';
  count: number;
  detail: string;
  threshold?: number;
}

interface Stats {
  /** False when reading stopped early: the thresholds are not checked then. */
  complete: boolean;
  rows: number;
  labels: number;
  creators: number;
}

/** The per-row checks; `nouns` is [one, many] for the count in the report. */
const ROW_CHECKS: { id: IssueType; title: string; hard: boolean; nouns: [string, string] }[] = [
  {
    id: 'encoding-error',
    title: 'encoding',
    hard: true,
    nouns: ['file is not UTF-8', 'file is not UTF-8'],
  },
  {
    id: 'csv-syntax',
    title: 'CSV syntax',
    hard: true,
    nouns: ['CSV syntax error', 'CSV syntax errors'],
  },
  { id: 'header', title: 'header', hard: true, nouns: ['header problem', 'header problems'] },
  { id: 'ragged-row', title: 'column count', hard: true, nouns: ['ragged row', 'ragged rows'] },
  {
    id: 'hidden-character',
    title: 'characters',
    hard: true,
    nouns: [
      'cell with a control or invisible character',
      'cells with a control or invisible character',
    ],
  },
  {
    id: 'invalid-email',
    title: 'email syntax',
    hard: true,
    nouns: ['malformed email', 'malformed emails'],
  },
  {
    id: 'duplicate-email',
    title: 'duplicates',
    hard: true,
    nouns: ['row with a duplicate email', 'rows with a duplicate email'],
  },
  {
    id: 'invalid-cohort',
    title: 'cohort labels',
    hard: true,
    nouns: ['empty or too long cohort', 'empty or too long cohorts'],
  },
  {
    id: 'unknown-label',
    title: 'allowed labels',
    hard: true,
    nouns: ['label not in --labels', 'labels not in --labels'],
  },
  {
    id: 'likely-duplicate',
    title: 'likely duplicates',
    hard: false,
    nouns: ['likely duplicate (dots or +tag)', 'likely duplicates (dots or +tag)'],
  },
  {
    id: 'user-collision',
    title: 'existing users',
    hard: false,
    nouns: ['email already in public.users', 'emails already in public.users'],
  },
];

/** 1234567 → "1,234,567": the report is read by people. */
function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, noun: string): string {
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** The report's checks in display order, from the issue counts and the stats. */
export function buildChecks(
  log: IssueLog,
  stats: Stats,
  t: Thresholds & { labels?: string[] },
): Check[] {
  const checks: Check[] = ROW_CHECKS.filter(
    (c) => (c.id !== 'unknown-label' || t.labels) && (c.id !== 'user-collision' || t.checkUsers),
  ).map((c) => {
    const count = log.count(c.id);
    const status = count === 0 ? 'pass' : c.hard ? 'fail' : 'warn';
    return {
      id: c.id,
      title: c.title,
      status,
      count,
      detail: count === 0 ? 'ok' : `${grouped(count)} ${c.nouns[count === 1 ? 0 : 1]}`,
    };
  });
  const threshold = (
    id: string,
    title: string,
    count: number,
    min: number,
    what: string,
  ): Check => ({
    id,
    title,
    status: count >= min ? 'pass' : 'warn',
    count,
    threshold: min,
    detail: `${plural(count, what)} (minimum ${grouped(min)})`,
  });
  // A file read only in part (not UTF-8, broken CSV, bad header) has no meaningful size:
  // its threshold warnings would only hide the real problem.
  if (!stats.complete) return checks;
  checks.push(
    threshold('min-total', 'total', stats.rows, t.minTotal, 'recipient'),
    threshold('min-creators', 'creators', stats.creators, t.minCreators, 'creator row'),
    threshold('min-labels', 'distinct labels', stats.labels, t.minLabels, 'label'),
  );
  return checks;
}
