import type { Sql } from 'postgres';
import { UserError } from '../errors.js';
import { formatInstant } from './format.js';
import { findInvites, type InviteRecord } from './lookup.js';
import { describeTarget, notFound, type Target } from './target.js';

/** What `revoke` did (or, with `dryRun`, would do). */
export interface RevokeOutcome {
  /** The pending invites it ended, as they are now (or would be). */
  revoked: InviteRecord[];
  /** The invites it left alone: already expired or already revoked. */
  unchanged: InviteRecord[];
}

export interface RevokeOptions {
  reason: string | null;
  dryRun: boolean;
}

function redeemedError(target: Target, redeemed: InviteRecord[], total: number): UserError {
  const first = redeemed[0];
  const when = first?.usedAt ? ` on ${formatInstant(first.usedAt)}` : '';
  const what =
    target.kind === 'code'
      ? `invite ${target.code} was redeemed${when}: a redeemed invite cannot be revoked`
      : `${redeemed.length} of the ${total} invite(s) of ${target.email} ${redeemed.length === 1 ? 'was' : 'were'} redeemed (${redeemed.map((r) => r.code).join(', ')}): a redeemed invite cannot be revoked`;
  return new UserError(`${what}; nothing was changed`, {
    hint:
      target.kind === 'code'
        ? 'the account exists now: deal with it in the application, not here'
        : 'to end only the pending ones, revoke each by its code: beta-invites revoke CODE',
  });
}

/**
 * Ends the pending invites of a person or a code: `expires_at` and `revoked_at` become the
 * database's `now()` (the clock `render` and the signup path compare with), and the reason
 * is kept. Refuses, changing nothing, when any matched invite was redeemed. Already
 * expired or revoked invites are left as they are, so a rerun is a no-op.
 */
export async function revokeInvites(
  sql: Sql,
  target: Target,
  options: RevokeOptions,
): Promise<RevokeOutcome> {
  return sql.begin(async (tx) => {
    const invites = await findInvites(tx, target, { lock: true });
    if (invites.length === 0) throw notFound(target);
    const redeemed = invites.filter((i) => i.state === 'redeemed');
    if (redeemed.length > 0) throw redeemedError(target, redeemed, invites.length);
    const pending = invites.filter((i) => i.state === 'pending');
    const unchanged = invites.filter((i) => i.state !== 'pending');
    if (pending.length === 0 || options.dryRun) return { revoked: pending, unchanged };
    const ids = pending.map((i) => i.id);
    const rows = await tx<{ id: string; at: Date }[]>`
      update public.beta_invites
      set expires_at = now(), revoked_at = now(), revoke_reason = ${options.reason}
      where id = any(${ids}::uuid[]) and used_at is null
      returning id::text, revoked_at as at`;
    if (rows.length !== ids.length) {
      // Rows are locked, so this cannot happen short of a bug: roll everything back.
      throw new UserError(
        `revoking ${describeTarget(target)} changed ${rows.length} of ${ids.length} invites; rolled back`,
      );
    }
    const at = new Map(rows.map((r) => [r.id, r.at]));
    const revoked = pending.map((i) => ({
      ...i,
      state: 'revoked' as const,
      expiresAt: at.get(i.id) ?? i.expiresAt,
      revokedAt: at.get(i.id) ?? null,
      revokeReason: options.reason,
    }));
    return { revoked, unchanged };
  });
}
