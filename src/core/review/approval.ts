import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError, errnoCode } from '../errors.js';
import { writeFileAtomic } from '../outdir/files.js';
import { manifestSha256 } from './read-folder.js';
import { REVIEW_DIR } from './write-folder.js';

/** The approval file of a render folder. */
export const APPROVAL_FILE = 'approved.json';

/** `DIR/approved.json`: who approved the folder, when, and which manifest. */
export const approvalRecord = z.object({
  by: z.string(),
  at: z.string(),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ApprovalRecord = z.infer<typeof approvalRecord>;

/**
 * Whether a folder may be sent under `--require-approval`: approved (the manifest is the
 * one approved), unapproved (no approval), or changed (re-rendered since approval). The
 * manifest pins every .eml's sha256, so binding the approval to it covers the files too.
 */
export interface ApprovalState {
  state: 'approved' | 'unapproved' | 'changed';
  by?: string;
  at?: string;
}

function readApproval(dir: string): ApprovalRecord | undefined {
  const file = path.join(dir, APPROVAL_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: ReturnType<typeof approvalRecord.safeParse>;
  try {
    parsed = approvalRecord.safeParse(JSON.parse(text));
  } catch {
    parsed = approvalRecord.safeParse(undefined);
  }
  if (!parsed.success) {
    throw new UserError(`${file} is not an approval record`, {
      hint: `review the folder again: beta-invites review ${dir}, then beta-invites review ${dir} --approve --by NAME`,
    });
  }
  return parsed.data;
}

/** The approval state of a render folder (see `ApprovalState`). */
export function approvalState(dir: string): ApprovalState {
  const record = readApproval(dir);
  if (!record) return { state: 'unapproved' };
  const state = manifestSha256(dir) === record.manifestSha256 ? 'approved' : 'changed';
  return { state, by: record.by, at: record.at };
}

/**
 * For `send --require-approval`: throws unless the folder is approved as it is now. One
 * line saying what is wrong, and the command that fixes it.
 */
export function requireApproval(dir: string): ApprovalState {
  const approval = approvalState(dir);
  if (approval.state === 'unapproved') {
    throw new UserError(`${dir} has not been approved (--require-approval)`, {
      hint: `review it: beta-invites review ${dir}, then beta-invites review ${dir} --approve --by NAME`,
    });
  }
  if (approval.state === 'changed') {
    throw new UserError(
      `${dir}/manifest.jsonl changed since ${approval.by ?? '?'} approved it at ${approval.at ?? '?'} (--require-approval)`,
      {
        hint: `review it again: beta-invites review ${dir}, then beta-invites review ${dir} --approve --by NAME`,
      },
    );
  }
  return approval;
}

/** The manifest sha256 an existing review page was built from. */
function reviewedSha256(dir: string): string | undefined {
  try {
    const page = fs.readFileSync(path.join(dir, REVIEW_DIR, 'index.html'), 'utf8');
    return /<meta name="beta-invites-manifest-sha256" content="([0-9a-f]{64})">/.exec(page)?.[1];
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Records an approval. Refused unless the review page was built from the manifest as it
 * is now: an approval means someone read the page of exactly what will be sent.
 */
export function recordApproval(dir: string, by: string, now: Date): ApprovalRecord {
  const current = manifestSha256(dir);
  if (current === undefined) {
    throw new UserError(`${path.join(dir, 'manifest.jsonl')} is missing`, {
      hint: `run beta-invites render first, with --out ${dir}`,
    });
  }
  const reviewed = reviewedSha256(dir);
  if (reviewed !== current) {
    const what =
      reviewed === undefined ? 'has no review page' : 'changed since its review page was built';
    throw new UserError(`${dir} ${what}: nothing was approved`, {
      hint: `run beta-invites review ${dir}, read ${path.join(dir, REVIEW_DIR, 'index.html')}, then approve`,
    });
  }
  const record: ApprovalRecord = { by, at: now.toISOString(), manifestSha256: current };
  writeFileAtomic(path.join(dir, APPROVAL_FILE), JSON.stringify(record, null, 2) + '\n');
  return record;
}

/**
 * The approval state in one line, with the next command when there is one: for review's
 * output and send's dry run, so both say it the same way.
 */
export function describeApproval(approval: ApprovalState, dir: string): string {
  const by = approval.by ?? '?';
  const at = approval.at ?? '?';
  if (approval.state === 'approved') return `approved by ${by} at ${at}`;
  if (approval.state === 'changed') {
    return `manifest.jsonl changed since ${by} approved it at ${at}: review it again with beta-invites review ${dir}`;
  }
  return `not approved: beta-invites review ${dir}, then beta-invites review ${dir} --approve --by NAME`;
}
