import path from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { defaultMigrationsDir } from '../../core/migrations/files.js';
import { assertMigrated } from '../../core/migrations/migrate.js';
import { findInvites, type InviteRecord } from '../../core/ops/lookup.js';
import { readOutDir, type OutDirEvidence } from '../../core/ops/outdir-evidence.js';
import { notFound, parseTarget } from '../../core/ops/target.js';
import { defineRunner } from '../shared/define.js';
import type { ShowOptions } from './definition.js';

/** Every invite of a person or a code, with what an output folder holds about each. */
export interface ShowResult {
  query: string;
  asOf: string;
  outDir: string | null;
  invites: (InviteRecord & { files?: OutDirEvidence })[];
}

export default defineRunner<ShowOptions, ShowResult>({
  async run(options, ctx) {
    const target = parseTarget(options.target);
    const dir = options.out === undefined ? undefined : path.resolve(ctx.cwd, options.out);
    const evidence = dir === undefined ? undefined : readOutDir(dir, ctx.cwd);
    const asOf = ctx.clock();
    const db = await ctx.db();
    await assertMigrated(db.sql, defaultMigrationsDir, db.label);
    const invites = await findInvites(db.sql, target, { asOf });
    if (invites.length === 0) throw notFound(target);
    return {
      query: options.target,
      asOf: asOf.toISOString(),
      outDir: options.out ?? null,
      invites: invites.map((invite) =>
        evidence ? { ...invite, files: evidence(invite.id) } : invite,
      ),
    };
  },
  exitCode: () => ExitCode.ok,
});
