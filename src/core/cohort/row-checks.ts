import { canonicalMailbox, emailKey, emailProblem } from './email.js';
import type { FingerprintTable } from './fingerprints.js';
import type { CohortHeader } from './header.js';
import type { IssueLog } from './issues.js';
import type { CsvRow } from './read-csv.js';
import { HIDDEN_CHARACTER, hiddenCharacter } from './hidden-characters.js';

/** The longest cohort label the schema stores (`cohort VARCHAR(64)`). */
export const MAX_COHORT_LENGTH = 64;

/**
 * What the row checks remember across rows: the labels' counts and, for the duplicate
 * checks of the second pass, a few bytes per address (see FingerprintTable).
 */
export interface RowState {
  fingerprints: FingerprintTable;
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
  state.fingerprints.addKey(key);
  const canonical = canonicalMailbox(key);
  if (canonical !== key) state.fingerprints.addVariant(canonical);
}

/** The row's email when the row has the header's shape and a valid email, else undefined. */
export function validEmail(row: CsvRow, header: CohortHeader): string | undefined {
  if (row.fields.length !== header.columns.length) return undefined;
  const email = row.fields[header.email] ?? '';
  return emailProblem(email) === null ? email : undefined;
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
