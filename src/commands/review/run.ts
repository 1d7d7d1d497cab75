import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Context } from '../../core/context.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import {
  approvalState,
  recordApproval,
  type ApprovalRecord,
  type ApprovalState,
} from '../../core/review/approval.js';
import { buildReview, type ReviewResult } from '../../core/review/build-review.js';
import { findExecutable } from '../../core/transports/command.js';
import { defineRunner } from '../shared/define.js';
import type { ReviewOptions } from './definition.js';

/** The opener --open started, or why none was. */
export type Opened = { with: string } | { problem: string };

/** What `review` did: built the page, or recorded an approval. */
export type ReviewOutcome =
  | {
      kind: 'built';
      review: ReviewResult;
      approval: ApprovalState;
      opened: Opened | undefined;
    }
  | { kind: 'approved'; dir: string; approval: ApprovalRecord };

/** Who approves: one line of readable text. */
function approver(flags: ReviewOptions): string {
  const by = flags.by?.trim() ?? '';
  if (!flags.approve) {
    if (flags.by !== undefined) throw new UsageError('--by goes with --approve');
    return '';
  }
  if (flags.by === undefined) {
    throw new UsageError('--approve needs --by NAME: who approves this folder');
  }
  // eslint-disable-next-line no-control-regex
  if (by === '' || by.length > 200 || /[\u0000-\u001f\u007f]/.test(by)) {
    throw new UsageError('--by needs a name: 1 to 200 characters on one line');
  }
  return by;
}

/**
 * Opens the page with the platform's opener, detached: the command does not wait for the
 * browser. A missing opener is reported, not fatal: the page is written either way.
 */
function openPage(file: string, ctx: Pick<Context, 'settings' | 'cwd'>): Opened {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  if (!findExecutable(opener, ctx.settings.searchPath, ctx.cwd)) {
    return { problem: `${opener} not found: open ${file} in a browser` };
  }
  const child = spawn(opener, [file], { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
  return { with: opener };
}

/** `review DIR`: builds the review page; `--approve --by NAME` records an approval. */
export async function runReview(
  options: ReviewOptions,
  ctx: Pick<Context, 'clock' | 'cwd' | 'settings'>,
): Promise<ReviewOutcome> {
  const by = approver(options);
  const dir = path.resolve(ctx.cwd, options.dir);
  if (options.approve) {
    return { kind: 'approved', dir, approval: recordApproval(dir, by, ctx.clock()) };
  }
  const review = await buildReview(dir, ctx.clock);
  const opened = options.open ? openPage(review.index, ctx) : undefined;
  return { kind: 'built', review, approval: approvalState(dir), opened };
}

export default defineRunner<ReviewOptions, ReviewOutcome>({
  run: runReview,
  exitCode() {
    return ExitCode.ok;
  },
});
