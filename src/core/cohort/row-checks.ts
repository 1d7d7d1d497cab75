import { canonicalMailbox, emailKey, emailProblem } from './email.js';
import type { CohortHeader } from './header.js';
import type { IssueLog } from './issues.js';
import type { CsvRow } from './read-csv.js';

/** The longest cohort label the schema stores (`cohort VARCHAR(64)`). */
export const MAX_COHORT_LENGTH = 64;

/** What the row checks remember across rows: O(distinct emails), nothing else. */
export interface RowState {
  /** Lower-cased email → line of its first occurrence. */
  seen: Map<string, number>;
  /** Canonical mailbox → first line, only for addresses that differ from their canonical form. */
  variants: Map<string, { line: number; email: string }>;
  distribution: Map<string, number>;
  labels: Set<string> | undefined;
}

/** Runs every per-row check of one record. */
export function checkRow(row: CsvRow, header: CohortHeader, state: RowState, log: IssueLog): void {
  const { line, fields } = row;
  if (fields.length !== header.columns.length) {
    log.add({
      type: 'ragged-row',
      line,
      field: '',
      value: fields.join(','),
      message: `row has ${fields.length} fields, the header has ${header.columns.length}`,
    });
    return;
  }
  const email = fields[header.email] ?? '';
  const cohort = fields[header.cohort] ?? '';
  checkCohort(line, cohort, state, log);
  const problem = emailProblem(email);
  if (problem) {
    log.add({ type: 'invalid-email', line, field: 'email', value: email, message: problem });
    return;
  }
  checkDuplicate(line, emailKey(email), state, log);
}

function checkCohort(line: number, cohort: string, state: RowState, log: IssueLog): void {
  if (cohort === '' || cohort.length > MAX_COHORT_LENGTH) {
    const message =
      cohort === '' ? 'cohort is empty' : `cohort is longer than ${MAX_COHORT_LENGTH} characters`;
    log.add({ type: 'invalid-cohort', line, field: 'cohort', value: cohort, message });
    return;
  }
  if (state.labels && !state.labels.has(cohort)) {
    log.add({
      type: 'unknown-label',
      line,
      field: 'cohort',
      value: cohort,
      message: `cohort "${cohort}" is not in --labels`,
    });
  }
  state.distribution.set(cohort, (state.distribution.get(cohort) ?? 0) + 1);
}

function checkDuplicate(line: number, key: string, state: RowState, log: IssueLog): void {
  const first = state.seen.get(key);
  if (first !== undefined) {
    log.add({
      type: 'duplicate-email',
      line,
      field: 'email',
      value: key,
      message: `duplicate of line ${first}`,
    });
    return;
  }
  state.seen.set(key, line);
  const canonical = canonicalMailbox(key);
  const twin =
    canonical === key
      ? state.variants.get(key)
      : (state.variants.get(canonical) ??
        (state.seen.has(canonical)
          ? { line: state.seen.get(canonical) ?? 0, email: canonical }
          : undefined));
  if (twin) {
    log.add({
      type: 'likely-duplicate',
      line,
      field: 'email',
      value: key,
      message: `probably the same mailbox as ${twin.email} (line ${twin.line})`,
    });
  }
  if (canonical !== key && !state.variants.has(canonical))
    state.variants.set(canonical, { line, email: key });
}
