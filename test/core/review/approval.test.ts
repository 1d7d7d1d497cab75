import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  approvalState,
  describeApproval,
  recordApproval,
  requireApproval,
} from '../../../src/core/review/approval.js';
import { buildReview } from '../../../src/core/review/build-review.js';
import { addresses, makeOutdir } from '../../helpers/outdir.js';

const at = new Date('2026-05-01T10:00:00Z');

async function reviewed(prefix: string): Promise<string> {
  const out = await makeOutdir({ emails: addresses(2, prefix), preview: true });
  await buildReview(out.dir, () => at);
  return out.dir;
}

function message(fn: () => unknown, dir: string): string {
  try {
    fn();
  } catch (error) {
    const e = error as Error & { hint?: string; exitCode?: number };
    return `${e.exitCode}: ${e.message}\n${e.hint ?? ''}`.split(dir).join('DIR');
  }
  return 'no error';
}

describe('approval', () => {
  it('is unapproved until recorded, then approved with who and when', async () => {
    const dir = await reviewed('ok');
    expect(approvalState(dir)).toEqual({ state: 'unapproved' });
    const record = recordApproval(dir, 'Alice Martin', at);
    expect(approvalState(dir)).toEqual({
      state: 'approved',
      by: 'Alice Martin',
      at: '2026-05-01T10:00:00.000Z',
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'approved.json'), 'utf8'))).toEqual(record);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(requireApproval(dir).state).toBe('approved');
  });

  it('becomes changed when the manifest changes after approval', async () => {
    const dir = await reviewed('chg');
    recordApproval(dir, 'Alice', at);
    fs.appendFileSync(path.join(dir, 'manifest.jsonl'), '\n');
    expect(approvalState(dir)).toMatchObject({ state: 'changed', by: 'Alice' });
    expect(message(() => requireApproval(dir), dir)).toMatchInlineSnapshot(`
      "1: DIR/manifest.jsonl changed since Alice approved it at 2026-05-01T10:00:00.000Z (--require-approval)
      review it again: beta-invites review DIR, then beta-invites review DIR --approve --by NAME"
    `);
  });

  it('refuses to send an unapproved folder, naming the command', async () => {
    const dir = await reviewed('none');
    expect(message(() => requireApproval(dir), dir)).toMatchInlineSnapshot(`
      "1: DIR has not been approved (--require-approval)
      review it: beta-invites review DIR, then beta-invites review DIR --approve --by NAME"
    `);
  });

  it('refuses to approve a folder whose review page is missing or stale', async () => {
    const out = await makeOutdir({ emails: addresses(1, 'stale'), preview: true });
    expect(message(() => recordApproval(out.dir, 'Alice', at), out.dir)).toMatchInlineSnapshot(`
      "1: DIR has no review page: nothing was approved
      run beta-invites review DIR, read DIR/review/index.html, then approve"
    `);
    await buildReview(out.dir, () => at);
    fs.appendFileSync(path.join(out.dir, 'manifest.jsonl'), '\n');
    expect(message(() => recordApproval(out.dir, 'Alice', at), out.dir)).toMatchInlineSnapshot(`
      "1: DIR changed since its review page was built: nothing was approved
      run beta-invites review DIR, read DIR/review/index.html, then approve"
    `);
    expect(fs.existsSync(path.join(out.dir, 'approved.json'))).toBe(false);
  });

  it('reports a damaged approval file instead of guessing', async () => {
    const dir = await reviewed('bad');
    fs.writeFileSync(path.join(dir, 'approved.json'), '{"by": "Alice"');
    expect(message(() => approvalState(dir), dir)).toMatchInlineSnapshot(`
      "1: DIR/approved.json is not an approval record
      review the folder again: beta-invites review DIR, then beta-invites review DIR --approve --by NAME"
    `);
  });
});

describe('describeApproval', () => {
  it('says each state in one line, with the next command', () => {
    const at = '2026-05-01T10:00:00.000Z';
    expect([
      describeApproval({ state: 'approved', by: 'Alice', at }, 'out'),
      describeApproval({ state: 'changed', by: 'Alice', at }, 'out'),
      describeApproval({ state: 'unapproved' }, 'out'),
    ]).toMatchInlineSnapshot(`
      [
        "approved by Alice at 2026-05-01T10:00:00.000Z",
        "manifest.jsonl changed since Alice approved it at 2026-05-01T10:00:00.000Z: review it again with beta-invites review out",
        "not approved: beta-invites review out, then beta-invites review out --approve --by NAME",
      ]
    `);
  });
});
