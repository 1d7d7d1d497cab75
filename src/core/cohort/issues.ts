/** One problem on one row, in the frictionless-style shape of `--json`. */
export interface Issue {
  type: IssueType;
  line: number;
  field: string;
  value: string;
  message: string;
}

export type IssueType =
  | 'encoding-error'
  | 'csv-syntax'
  | 'header'
  | 'ragged-row'
  | 'hidden-character'
  | 'invalid-email'
  | 'duplicate-email'
  | 'invalid-cohort'
  | 'unknown-label'
  | 'likely-duplicate'
  | 'user-collision'
  | 'min-total'
  | 'min-creators'
  | 'min-labels';

/** Hard checks block (exit 1); soft ones warn (exit 2 unless forced). */
export const HARD: ReadonlySet<IssueType> = new Set([
  'encoding-error',
  'csv-syntax',
  'header',
  'ragged-row',
  'hidden-character',
  'invalid-email',
  'duplicate-email',
  'invalid-cohort',
  'unknown-label',
]);

/**
 * Collects issues by type: counts all, keeps the first `keep` of each type (all of them
 * when `keep` is Infinity, for `--json`), so memory stays bounded on huge bad files.
 */
export class IssueLog {
  readonly counts = new Map<IssueType, number>();
  readonly kept: Issue[] = [];
  private readonly keptByType = new Map<IssueType, number>();

  constructor(private readonly keep: number) {}

  add(issue: Issue): void {
    this.counts.set(issue.type, (this.counts.get(issue.type) ?? 0) + 1);
    const kept = this.keptByType.get(issue.type) ?? 0;
    if (kept < this.keep) {
      this.keptByType.set(issue.type, kept + 1);
      this.kept.push(issue);
    }
  }

  count(type: IssueType): number {
    return this.counts.get(type) ?? 0;
  }
}
