import fs from 'node:fs';
import path from 'node:path';
import { OUTDIR } from '../outdir/files.js';
import { MAX_COHORT_LENGTH, checkRow, type RowState } from './row-checks.js';
import { CsvSyntaxError, EncodingError, readCsvBatches, type CsvRow } from './read-csv.js';
import { parseHeader, type CohortHeader } from './header.js';
import { HARD, IssueLog, type Issue } from './issues.js';
import { buildChecks, type Check, type Thresholds } from './checks.js';
import { confirmPass, fileVersion, type FindUsers } from './confirm-pass.js';
import { FingerprintTable } from './fingerprints.js';

export { MAX_COHORT_LENGTH };

/** Options of one validation. */
export interface ValidateOptions extends Thresholds {
  /** Allowed cohort labels (`--labels`); undefined allows any. */
  labels?: string[];
  /** How many issues of each type to keep (20 for text, Infinity for `--json`). */
  keep: number;
  /** Returns the subset of lower-cased emails already in `public.users` (`--check-users`). */
  findUsers?: FindUsers;
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

/** What one pass over the file saw. */
interface Pass {
  header?: CohortHeader;
  columns: string[];
  rows: number;
  /** The header was usable and every byte was read (no encoding or syntax error). */
  complete: boolean;
}

/**
 * Validates a cohort file in one streaming pass, and a second one over the same file
 * when some addresses may be duplicates or `findUsers` is given (see confirmPass). Memory
 * grows by a few bytes per distinct address, not by the addresses themselves.
 */
export async function validateCohort(
  file: string,
  options: ValidateOptions,
): Promise<CohortReport> {
  const log = new IssueLog(options.keep);
  const state: RowState = {
    fingerprints: new FingerprintTable(),
    distribution: new Map(),
    labels: options.labels ? new Set(options.labels) : undefined,
  };
  const version = fileVersion(file);
  const pass = await readRows(file, log, state);
  const table = state.fingerprints;
  const findUsers = pass.complete && table.keys > 0 ? options.findUsers : undefined;
  if (pass.header && (table.suspects > 0 || findUsers)) {
    await confirmPass(file, { header: pass.header, table, version }, log, findUsers);
  }
  return finish(file, options, log, state, pass);
}

/** Reads the header row into `pass`; logs its problems; undefined if it is unusable. */
function takeHeader(row: CsvRow, pass: Pass, log: IssueLog): CohortHeader | undefined {
  const parsed = parseHeader(row.fields);
  pass.columns = parsed.header?.columns ?? row.fields;
  const value = row.fields.join(',');
  for (const message of parsed.problems) {
    log.add({ type: 'header', line: row.line, field: '', value, message });
  }
  return parsed.header;
}

async function readRows(file: string, log: IssueLog, state: RowState): Promise<Pass> {
  const pass: Pass = { columns: [], rows: 0, complete: false };
  let header: CohortHeader | undefined;
  try {
    for await (const rows of readCsvBatches(file)) {
      let start = 0;
      if (!header) {
        const first = rows[0];
        if (!first) continue;
        header = takeHeader(first, pass, log);
        if (!header) return pass;
        pass.header = header;
        start = 1;
      }
      for (let i = start; i < rows.length; i++) checkRow(rows[i] as CsvRow, header, state, log);
      pass.rows += rows.length - start;
    }
    if (!header) {
      const message = 'file is empty: expected a header line email,cohort';
      log.add({ type: 'header', line: 1, field: '', value: '', message });
      return pass;
    }
    pass.complete = true;
  } catch (error) {
    if (error instanceof EncodingError) {
      const message = 'file is not UTF-8: save it as UTF-8 and rerun';
      log.add({ type: 'encoding-error', line: error.line, field: '', value: '', message });
    } else if (error instanceof CsvSyntaxError) {
      const { line, message } = error;
      log.add({ type: 'csv-syntax', line, field: '', value: '', message });
    } else {
      throw error;
    }
  }
  return pass;
}

/**
 * A `failed.csv` that render wrote, given back to render to rerun the recipients that
 * failed: named so, inside a render folder (a manifest beside it), its header the
 * input's columns plus a last `error`. A subset is small by design, so the cohort-shape
 * gates do not apply to it, and its `error` column is not for the templates.
 */
export function isFailedCsvRerun(file: string, columns: string[]): boolean {
  return (
    path.basename(file) === OUTDIR.failed &&
    columns.at(-1) === 'error' &&
    fs.existsSync(path.join(path.dirname(file), OUTDIR.manifest))
  );
}

function finish(
  file: string,
  options: ValidateOptions,
  log: IssueLog,
  state: RowState,
  pass: Pass,
): CohortReport {
  const distribution = Object.fromEntries(
    [...state.distribution.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  );
  const creators = [...state.distribution.entries()]
    .filter(([label]) => label.toLowerCase().startsWith('creator'))
    .reduce((sum, [, n]) => sum + n, 0);
  const { rows, complete } = pass;
  const subset = complete && isFailedCsvRerun(file, pass.columns);
  const columns = subset ? pass.columns.slice(0, -1) : pass.columns;
  const stats = { rows, columns, labels: state.distribution.size, creators, distribution };
  const checks = buildChecks(log, { ...stats, complete }, options).filter(
    // The shape gates (min-total, min-creators, min-labels) carry a threshold.
    (check) => !subset || check.threshold === undefined,
  );
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
