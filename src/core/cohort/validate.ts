import { MAX_COHORT_LENGTH, checkRow, type RowState } from './row-checks.js';
import { CsvSyntaxError, EncodingError, readCsv } from './read-csv.js';
import { parseHeader } from './header.js';
import { HARD, IssueLog, type Issue } from './issues.js';
import { buildChecks, type Check, type Thresholds } from './checks.js';

export { MAX_COHORT_LENGTH };

/** Options of one validation. */
export interface ValidateOptions extends Thresholds {
  /** Allowed cohort labels (`--labels`); undefined allows any. */
  labels?: string[];
  /** How many issues of each type to keep (20 for text, Infinity for `--json`). */
  keep: number;
  /** Returns the subset of lower-cased emails already in `public.users` (`--check-users`). */
  findUsers?: (emails: string[]) => Promise<Set<string>>;
}

/** Everything `validate-cohort` found. */
export interface CohortReport {
  file: string;
  valid: boolean;
  verdict: 'ok' | 'warn' | 'blocked';
  stats: {
    rows: number;
    columns: string[];
    labels: number;
    creators: number;
    distribution: Record<string, number>;
  };
  checks: Check[];
  errors: Issue[];
  warnings: Issue[];
  /** Issues counted but not kept (text output shows the first 20 of each check). */
  omitted: number;
}

/** Validates a cohort file in one streaming pass (plus one users query when asked). */
export async function validateCohort(
  file: string,
  options: ValidateOptions,
): Promise<CohortReport> {
  const log = new IssueLog(options.keep);
  const state: RowState = {
    seen: new Map(),
    spelled: new Map(),
    reported: new Set(),
    variants: new Map(),
    distribution: new Map(),
    labels: options.labels ? new Set(options.labels) : undefined,
  };
  let columns: string[] = [];
  let rows = 0;
  let headerOk = false;
  try {
    let header: ReturnType<typeof parseHeader>['header'];
    for await (const row of readCsv(file)) {
      if (!header) {
        const parsed = parseHeader(row.fields);
        columns = parsed.header?.columns ?? row.fields;
        for (const message of parsed.problems) {
          log.add({
            type: 'header',
            line: row.line,
            field: '',
            value: row.fields.join(','),
            message,
          });
        }
        if (!parsed.header) break;
        header = parsed.header;
        headerOk = true;
        continue;
      }
      rows++;
      checkRow(row, header, state, log);
    }
    if (!header && log.count('header') === 0) {
      log.add({
        type: 'header',
        line: 1,
        field: '',
        value: '',
        message: 'file is empty: expected a header line email,cohort',
      });
    }
  } catch (error) {
    if (error instanceof EncodingError) {
      log.add({
        type: 'encoding-error',
        line: error.line,
        field: '',
        value: '',
        message: 'file is not UTF-8: save it as UTF-8 and rerun',
      });
    } else if (error instanceof CsvSyntaxError) {
      log.add({
        type: 'csv-syntax',
        line: error.line,
        field: '',
        value: '',
        message: error.message,
      });
    } else {
      throw error;
    }
  }
  if (headerOk && options.findUsers && state.seen.size > 0) {
    const found = await options.findUsers([...state.seen.keys()]);
    for (const email of found) {
      const line = state.seen.get(email) ?? 0;
      log.add({
        type: 'user-collision',
        line,
        field: 'email',
        value: email,
        message: 'already has an account in public.users',
      });
    }
  }
  return finish(file, options, log, state, columns, rows);
}

function finish(
  file: string,
  options: ValidateOptions,
  log: IssueLog,
  state: RowState,
  columns: string[],
  rows: number,
): CohortReport {
  const distribution = Object.fromEntries(
    [...state.distribution.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  );
  const creators = [...state.distribution.entries()]
    .filter(([label]) => label.toLowerCase().startsWith('creator'))
    .reduce((sum, [, n]) => sum + n, 0);
  const stats = { rows, columns, labels: state.distribution.size, creators, distribution };
  const checks = buildChecks(log, stats, options);
  const hard = checks.some((c) => c.status === 'fail');
  const soft = checks.some((c) => c.status === 'warn');
  const sorted = [...log.kept].sort((a, b) => a.line - b.line);
  const kept = [...log.counts.values()].reduce((a, b) => a + b, 0);
  return {
    file,
    valid: !hard,
    verdict: hard ? 'blocked' : soft ? 'warn' : 'ok',
    stats,
    checks,
    errors: sorted.filter((i) => HARD.has(i.type)),
    warnings: [...sorted.filter((i) => !HARD.has(i.type)), ...softIssues(checks)],
    omitted: kept - log.kept.length,
  };
}

/** Threshold warnings have no row: they are reported at line 0 in `--json`. */
function softIssues(checks: Check[]): Issue[] {
  return checks
    .filter((c) => c.status === 'warn' && c.threshold !== undefined)
    .map((c) => ({
      type: c.id as Issue['type'],
      line: 0,
      field: c.id === 'min-total' ? '' : 'cohort',
      value: String(c.count),
      message: c.detail,
    }));
}
