import { UserError } from '../errors.js';
import type { ManifestEntry } from '../outdir/manifest.js';

/** A canary batch: which pending invitations this run may send (`--cohort`, `--limit`). */
export interface Selection {
  /** Only recipients of this cohort label. */
  cohort?: string | undefined;
  /** At most this many messages, in manifest order. */
  limit?: number | undefined;
}

/** Pending invitations a selection leaves for a later run, and why. */
export interface Held {
  /** Of the chosen cohort (or of the folder), beyond --limit. */
  limit: number;
  /** Of other cohorts than --cohort. */
  cohort: number;
}

/** Refuses a --cohort label that no recipient of the folder has (a typo, surely). */
export function assertCohortKnown(entries: ManifestEntry[], cohort: string | undefined): void {
  if (cohort === undefined || entries.some((e) => e.cohort === cohort)) return;
  const labels = [...new Set(entries.map((e) => e.cohort))];
  const shown = labels.slice(0, 10).join(', ') + (labels.length > 10 ? ', …' : '');
  throw new UserError(`no recipient of the folder has the cohort label "${cohort}"`, {
    hint: `labels in manifest.jsonl: ${shown}`,
  });
}

/** The pending invitations this run sends, in manifest order, and how many it leaves. */
export function selectPending(
  pending: ManifestEntry[],
  selection: Selection = {},
): { selected: ManifestEntry[]; held: Held } {
  const { cohort, limit } = selection;
  const ofCohort = cohort === undefined ? pending : pending.filter((e) => e.cohort === cohort);
  const selected = limit === undefined ? ofCohort : ofCohort.slice(0, limit);
  return {
    selected,
    held: { limit: ofCohort.length - selected.length, cohort: pending.length - ofCohort.length },
  };
}
