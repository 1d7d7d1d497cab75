import { createHash } from 'node:crypto';
import type { CohortRow } from '../cohort/rows.js';
import { CODE_ALPHABET } from './codes.js';
import type { InviteOutcome } from './invites.js';

/**
 * Invites for `render --dry-run`: no database. The code starts with PREVIEW so nobody
 * mistakes it for a real one (it cannot be one: I is not in the alphabet); id and code
 * derive from the address, so two dry runs give the same codes.
 */
export function previewInvites(
  batch: CohortRow[],
  now: Date,
  expiresInMs: number,
): InviteOutcome[] {
  return batch.map((row) => {
    const digest = createHash('sha256')
      .update(`${row.email.toLowerCase()}\u0000${row.cohort}`)
      .digest();
    const hex = digest.toString('hex');
    let suffix = '';
    for (let i = 0; i < 9; i++) suffix += CODE_ALPHABET[(digest[i] ?? 0) & 31];
    return {
      ok: true,
      invite: {
        id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
        code: `PREVIEW${suffix}`,
        expiresAt: new Date(now.getTime() + expiresInMs),
        createdAt: now,
        created: true,
      },
    };
  });
}
