import type { Context } from '../../core/context.js';
import { jsonOrText } from '../shared/define.js';
import type { RevokeOptions } from './definition.js';
import { formatInstant } from '../../core/ops/format.js';
import type { InviteRecord } from '../../core/ops/lookup.js';
import type { RevokeResult } from './run.js';
import { colors } from '../shared/style.js';

function describe(i: InviteRecord): string {
  return `${i.code}  ${i.cohort}  ${i.email}`;
}

function why(i: InviteRecord): string {
  if (i.state === 'revoked' && i.revokedAt) {
    return `already revoked on ${formatInstant(new Date(i.revokedAt))}`;
  }
  return `already expired on ${formatInstant(new Date(i.expiresAt))}`;
}

/** What changed, what did not and why, and how to keep the person out of a later render. */
function printRevoke(result: RevokeResult, ctx: Pick<Context, 'out' | 'settings'>): void {
  const { out } = ctx;
  const c = colors(ctx);
  const n = result.revoked.length;
  const reason = result.reason ? ` (reason: ${result.reason})` : '';
  if (n === 0) {
    out.line(`Nothing to revoke for ${result.query}: no pending invite.`);
  } else {
    const verb = result.dryRun ? 'Would revoke' : 'Revoked';
    out.line(
      c.bold(`${verb} ${n} pending invite${n === 1 ? '' : 's'} of ${result.query}${reason}:`),
    );
    for (const i of result.revoked) {
      const at = result.dryRun ? 'now' : formatInstant(new Date(i.revokedAt ?? i.expiresAt));
      out.line(`  ${describe(i)}  pending → revoked (expires ${at})`);
    }
  }
  if (result.unchanged.length > 0) {
    out.line('Left as they were:');
    for (const i of result.unchanged) out.line(`  ${describe(i)}  ${why(i)}`);
  }
  if (result.dryRun) {
    out.line(c.yellow('Dry run: nothing was changed.'));
  } else if (n > 0) {
    out.line(
      'A later render of the same cohort will not invite this address again (it lists it in failed.csv).',
    );
  }
}

export default jsonOrText<RevokeOptions, RevokeResult>(printRevoke);
