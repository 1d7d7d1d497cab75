import { canonicalMailbox } from './email.js';
import type { IssueLog } from './issues.js';

/**
 * The exact duplicate checks, run in file order over the rows whose fingerprints are
 * suspects (see FingerprintTable): every row that has a twin is among them, so these maps
 * hold those rows only.
 */
export interface DuplicateState {
  /** Lower-cased email → line of its first occurrence. */
  seen: Map<string, number>;
  /** The spelling of first occurrences that differ from their key (for the report). */
  spelled: Map<string, string>;
  /** Keys whose first occurrence was already reported as a duplicate. */
  reported: Set<string>;
  /** Canonical mailbox → first line, only for addresses that differ from their canonical form. */
  variants: Map<string, { line: number; email: string }>;
}

export function duplicateState(): DuplicateState {
  return { seen: new Map(), spelled: new Map(), reported: new Set(), variants: new Map() };
}

/**
 * Logs the row's duplicate and likely-duplicate issues. True when the row is the first
 * occurrence of its address.
 */
export function checkDuplicates(
  line: number,
  email: string,
  key: string,
  state: DuplicateState,
  log: IssueLog,
): boolean {
  if (checkDuplicate(line, email, key, state, log)) return false;
  state.seen.set(key, line);
  if (email !== key) state.spelled.set(key, email);
  checkLikelyDuplicate(line, key, state, log);
  return true;
}

function checkDuplicate(
  line: number,
  email: string,
  key: string,
  state: DuplicateState,
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

function checkLikelyDuplicate(
  line: number,
  key: string,
  state: DuplicateState,
  log: IssueLog,
): void {
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
