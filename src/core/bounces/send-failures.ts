import path from 'node:path';
import { errorMessage, UserError } from '../errors.js';
import { OUTDIR } from '../outdir/files.js';
import { readJsonLines } from '../outdir/json-lines.js';

/**
 * The invites that `send` gave up on permanently (a 5xx answer, a command's permanent
 * exit) in these render folders, from their send-failed.jsonl: the database does not know
 * them. `report` counts them as failed unless a later send succeeded (sent_at set).
 */
export function permanentSendFailures(dirs: string[]): string[] {
  const ids = new Set<string>();
  for (const dir of dirs) {
    const file = path.join(dir, OUTDIR.sendFailed);
    let lines: unknown[];
    try {
      lines = readJsonLines(file);
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${errorMessage(error)}`, {
        hint: 'pass the folder beta-invites render wrote and send used',
      });
    }
    for (const line of lines) {
      if (typeof line !== 'object' || line === null) continue;
      const { inviteId, permanent } = line as { inviteId?: unknown; permanent?: unknown };
      if (permanent === true && typeof inviteId === 'string') ids.add(inviteId);
    }
  }
  return [...ids];
}
