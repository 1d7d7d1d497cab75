import { z } from 'zod';
import { ExitCode } from '../core/errors.js';
import { defaultMigrationsDir } from '../core/migrations/files.js';
import { assertMigrated } from '../core/migrations/migrate.js';
import type { InviteRecord } from '../core/ops/lookup.js';
import { revokeInvites } from '../core/ops/revoke.js';
import { parseTarget } from '../core/ops/target.js';
import { defineCommand } from './command.js';
import { printRevoke } from './revoke-print.js';

const schema = z
  .object({
    target: z.string(),
    reason: z
      .string()
      .trim()
      .min(1, { error: 'expected a reason' })
      .max(500, { error: 'keep the reason under 500 characters' })
      .optional(),
    dryRun: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

/** What `revoke` changed (or would change with `--dry-run`), and what it left alone. */
export interface RevokeResult {
  query: string;
  dryRun: boolean;
  reason: string | null;
  revoked: InviteRecord[];
  unchanged: InviteRecord[];
}

export default defineCommand({
  schema,
  async run(options, ctx): Promise<RevokeResult> {
    const target = parseTarget(options.target);
    const db = await ctx.db();
    await assertMigrated(db.sql, defaultMigrationsDir, db.label);
    const reason = options.reason ?? null;
    const outcome = await revokeInvites(db.sql, target, { reason, dryRun: options.dryRun });
    return { query: options.target, dryRun: options.dryRun, reason, ...outcome };
  },
  print: printRevoke,
  exitCode() {
    return ExitCode.ok;
  },
});
