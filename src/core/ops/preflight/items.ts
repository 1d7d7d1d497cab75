import { databaseProblem } from '../../db/query-errors.js';
import { redactUrls } from '../../db/url.js';
import { UserError, errorMessage } from '../../errors.js';
import type { GateState } from '../../gates/types.js';

/** One line of the preflight checklist: ✅ pass, 🔴 fail, ⚪ could not check. */
export interface PreflightItem {
  /** Stable key for `--json` (`database`, `cohort`, `gate:sentry`, …). */
  id: string;
  /** What the operator reads in the first column. */
  title: string;
  state: GateState;
  /** One line (a config's problem list may add indented lines) without credentials. */
  detail: string;
}

export function item(id: string, title: string, state: GateState, detail: string): PreflightItem {
  return { id, title, state, detail: redactUrls(detail) };
}

/** A UserError as a 🔴 detail: its message, then its hint after an em dash. */
export function failureDetail(error: unknown): string {
  error = databaseProblem(error) ?? error;
  if (error instanceof UserError) {
    return error.hint ? `${error.message} — ${error.hint}` : error.message;
  }
  return `unexpected error: ${errorMessage(error)}`;
}

/** Runs one check; anything it throws becomes its 🔴 line, never the end of the run. */
export async function attempt(
  id: string,
  title: string,
  check: () =>
    Promise<Pick<PreflightItem, 'state' | 'detail'>> | Pick<PreflightItem, 'state' | 'detail'>,
): Promise<PreflightItem> {
  try {
    const { state, detail } = await check();
    return item(id, title, state, detail);
  } catch (error) {
    return item(id, title, 'fail', failureDetail(error));
  }
}

/** What the checklist cannot check: printed as reminders, never part of the verdict. */
export const REMINDERS = [
  'build the cohort CSV from real, consenting sources (preflight checks its form, not its people)',
  'create the feedback form and put its URL in --feedback-url / INVITE_FEEDBACK_URL',
  'configure the transport credentials (msmtp account or SMTP user) and send yourself one test message',
  'render, then open a few .eml files in a mail client before beta-invites send --confirm',
  'show up at 18:00 UTC for the decision call, with beta-invites monitor running',
] as const;
