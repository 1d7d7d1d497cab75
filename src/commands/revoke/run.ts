import { ExitCode } from '../../core/errors.js';
import { defaultMigrationsDir } from '../../core/migrations/files.js';
import { assertMigrated } from '../../core/migrations/migrate.js';
import type { InviteRecord } from '../../core/ops/lookup.js';
import { revokeInvites } from '../../core/ops/revoke.js';
import { parseTarget } from '../../core/ops/target.js';
import { defineRunner } from '../shared/define.js';
import type { RevokeOptions } from './definition.js';

/** What `revoke` changed (or would change with `--dry-run`), and what it left alone. */
export interface RevokeResult {
  query: string;
  dryRun: boolean;
  reason: string | null;
  revoked: InviteRecord[];
  unchanged: InviteRecord[];
}

export default defineRunner<RevokeOptions, RevokeResult>({
  async run(options, ctx) {
    const target = parseTarget(options.target);
    const db = await ctx.db();
    await assertMigrated(db.sql, defaultMigrationsDir, db.label);
    const reason = options.reason ?? null;
    const outcome = await revokeInvites(db.sql, target, { reason, dryRun: options.dryRun });
    return { query: options.target, dryRun: options.dryRun, reason, ...outcome };
  },
  exitCode: () => ExitCode.ok,
});
