import { canonicalMailbox, emailKey, emailProblem } from './email.js';
import type { CohortHeader } from './header.js';
import type { IssueLog } from './issues.js';
import type { CsvRow } from './read-csv.js';
import { HIDDEN_CHARACTER, hiddenCharacter } from './hidden-characters.js';

/** The longest cohort label the schema stores (`cohort VARCHAR(64)`). */
export const MAX_COHORT_LENGTH = 64;

/** What the row checks remember across rows: O(distinct emails), nothing else. */
export interface RowState {
  /** Lower-cased email → line of its first occurrence. */
  seen: Map<string, number>;
  /** The spelling of first occurrences that differ from their key (for the report). */
  spelled: Map<string, string>;
  /** Keys whose first occurrence was already reported as a duplicate. */
  reported: Set<string>;
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
      message: `row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.columns.length}`,
    });
    return;
  }
  checkCharacters(row, header, log);
  const email = fields[header.email] ?? '';
  const cohort = fields[header.cohort] ?? '';
  checkCohort(line, cohort, state, log);
  const problem = emailProblem(email);
  if (problem) {
    log.add({ type: 'invalid-email', line, field: 'email', value: email, message: problem });
    return;
  }
  const key = emailKey(email);
  if (checkDuplicate(line, email, key, state, log)) return;
  state.seen.set(key, line);
  if (email !== key) state.spelled.set(key, email);
  checkLikelyDuplicate(line, key, state, log);
}

/**
 * One issue per cell holding a control or invisible character (see HIDDEN_CHARACTER).
 * The email is left to the email check, which refuses any such character already.
 */
function checkCharacters(row: CsvRow, header: CohortHeader, log: IssueLog): void {
  row.fields.forEach((value, i) => {
    if (i === header.email || !HIDDEN_CHARACTER.test(value)) return;
    const field = header.columns[i] ?? '';
    log.add({
      type: 'hidden-character',
      line: row.line,
      field,
      value,
      message: `${field} holds ${hiddenCharacter(value) ?? 'a control character'}: retype the value without it`,
    });
  });
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

function checkDuplicate(
  line: number,
  email: string,
  key: string,
  state: RowState,
  log: IssueLog,
): boolean {
  const first = state.seen.get(key);
  if (first === undefined) return false;
  // Every row involved is reported: the first occurrence once, when its first twin shows up.
  if (!state.reported.has(key)) {
    state.reported.add(key);
    log.add({
      type: 'duplicate-email',
      line: first,
      field: 'email',
      value: state.spelled.get(key) ?? key,
      message: `the same email appears again on line ${line}`,
    });
  }
  log.add({
    type: 'duplicate-email',
    line,
    field: 'email',
    value: email,
    message: `duplicate of line ${first}`,
  });
  return true;
}

function checkLikelyDuplicate(line: number, key: string, state: RowState, log: IssueLog): void {
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
