import { UserError } from '../errors.js';
import type { Sample } from './manifest-stream.js';
import type { PlanOptions, SendPlan } from './plan.js';

/** The first `max` values, and how many in all when there are more. */
export function list(values: string[], max = 5): string {
  return (
    values.slice(0, max).join(', ') + (values.length > max ? `, … (${values.length} in all)` : '')
  );
}

/** Files of the manifest missing from the folder. */
export function missingFiles(count: number, dir: string, names: string): UserError {
  return new UserError(`${count} file(s) of manifest.jsonl are missing in ${dir}: ${names}`, {
    hint: 'rerun beta-invites render to rebuild them',
  });
}

/** Files whose recipient or invite is not their manifest entry's. */
export function mismatchedFiles(count: number, names: string): UserError {
  return new UserError(`${count} file(s) do not match their manifest entry: ${names}`, {
    hint: 'the recipient and invite of a file cannot change, even with --accept-edits: rerun beta-invites render',
  });
}

/** What the checks of a plan found wrong, refused once the whole folder is seen. */
export interface Problems {
  /** Emails of invites unknown to the database (and not in the ledger). */
  foreign: Sample;
  /** A file that could not be read (not missing). */
  unreadable: UserError | undefined;
  missing: Sample;
  mismatched: Sample;
  /** Files addressed to someone else than their invite's owner. */
  wrong: Sample;
}

/** The refusals, in the order a reader meets them: database, files, edits, recipients. */
export function refuse(options: PlanOptions, plan: SendPlan, problems: Problems): void {
  const { foreign, missing, mismatched, wrong } = problems;
  if (foreign.count > 0) {
    throw new UserError(
      `${foreign.count} invite(s) of the folder are not in the database at ${options.where}: ${foreign.text(5)}`,
      {
        hint: 'send with the database render used (DATABASE_URL, or BETA_INVITES_HOME for the embedded one)',
      },
    );
  }
  if (problems.unreadable !== undefined) throw problems.unreadable;
  if (missing.count > 0) {
    throw missingFiles(missing.count, options.scan.dir, missing.text(5));
  }
  if (mismatched.count > 0) {
    throw mismatchedFiles(mismatched.count, mismatched.text(3));
  }
  if (plan.edited.count > 0 && !options.acceptEdits) {
    throw new UserError(
      `${plan.edited.count} file(s) changed since render (sha256 differs from manifest.jsonl): ${plan.edited.text(5)}`,
      {
        hint: 'review the changes: rerun beta-invites render to rebuild them, or pass --accept-edits to send them as they are now',
      },
    );
  }
  if (wrong.count > 0) {
    throw new UserError(
      `${wrong.count} file(s) in ${options.scan.dir} are not addressed to their invite's recipient in the database: ${wrong.text(3, '; ')}`,
      {
        hint: 'nothing was sent; the folder was edited after render: render it again into a new folder (beta-invites render COHORT.csv --out NEWDIR), review it, then send that',
      },
    );
  }
}

/** The file problems a rehearsal found, refused as send refuses them. */
export function refuseProblems(dir: string, missing: string[], mismatched: string[]): void {
  if (missing.length > 0) throw missingFiles(missing.length, dir, list(missing));
  if (mismatched.length > 0) throw mismatchedFiles(mismatched.length, list(mismatched, 3));
}
