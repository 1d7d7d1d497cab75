import path from 'node:path';
import { z } from 'zod';
import { ExitCode } from '../core/errors.js';
import { defaultMigrationsDir } from '../core/migrations/files.js';
import { migrate, readMigrationState } from '../core/migrations/migrate.js';
import { defineCommand } from './command.js';
import { colors } from './style.js';

const schema = z
  .object({
    dir: z.string().optional(),
    status: z.boolean().default(false),
    dryRun: z.boolean().default(false),
    wait: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

type Result =
  | {
      mode: 'status';
      database: string;
      applied: { name: string; appliedAt: string; durationMs: number }[];
      pending: string[];
      drift: string[];
      /** Recorded as applied, but no longer in the folder. */
      missing: string[];
    }
  | {
      mode: 'dry-run';
      database: string;
      pending: { name: string; transactional: boolean; sql: string }[];
    }
  | {
      mode: 'apply';
      database: string;
      applied: { name: string; durationMs: number }[];
      alreadyApplied: number;
    };

export default defineCommand({
  schema,
  async run(options, ctx): Promise<Result> {
    const dir = options.dir ? path.resolve(ctx.cwd, options.dir) : defaultMigrationsDir;
    const db = await ctx.db();
    if (options.status) {
      const state = await readMigrationState(db.sql, dir);
      return {
        mode: 'status',
        database: db.label,
        applied: state.applied.map((a) => ({
          name: a.name,
          appliedAt: a.appliedAt.toISOString(),
          durationMs: a.durationMs,
        })),
        pending: state.pending.map((p) => p.name),
        drift: state.drift.map((d) => d.name),
        missing: state.missing,
      };
    }
    const common = {
      dir,
      wait: options.wait,
      where: db.label,
      now: () => performance.now(),
      signal: ctx.signal,
      cancelStatements: db.kind === 'server',
    };
    if (options.dryRun) {
      const result = await migrate(db.sql, { ...common, dryRun: true });
      return {
        mode: 'dry-run',
        database: db.label,
        pending: result.wouldApply.map((f) => ({
          name: f.name,
          transactional: f.transactional,
          sql: f.sql,
        })),
      };
    }
    const result = await migrate(db.sql, { ...common, dryRun: false });
    return {
      mode: 'apply',
      database: db.label,
      applied: result.applied,
      alreadyApplied: result.alreadyApplied,
    };
  },
  print(result, options, ctx) {
    if (options.json) return ctx.out.json(result);
    const c = colors(ctx);
    const out = ctx.out;
    if (result.mode === 'status') {
      out.line(c.bold(`Migrations on ${result.database}:`));
      for (const a of result.applied) {
        const note = result.drift.includes(a.name)
          ? c.red('  DRIFT: the file changed after it was applied')
          : result.missing.includes(a.name)
            ? c.dim('  (no such file in the folder)')
            : '';
        out.line(`  applied  ${a.name}  ${a.appliedAt}  (${a.durationMs} ms)${note}`);
      }
      for (const name of result.pending) out.line(c.yellow(`  pending  ${name}`));
      if (result.drift.length > 0) {
        out.line(
          c.red(
            `${result.drift.length} applied file(s) changed: restore them and put the change in a new migration file`,
          ),
        );
      } else {
        out.line(
          result.pending.length === 0
            ? 'Up to date.'
            : `${result.pending.length} pending: run beta-invites migrate`,
        );
      }
      return;
    }
    if (result.mode === 'dry-run') {
      if (result.pending.length === 0)
        return out.line(`Nothing to apply on ${result.database}: up to date.`);
      for (const p of result.pending) {
        out.line(c.bold(`-- ${p.name}${p.transactional ? '' : ' (outside a transaction)'}`));
        out.line(p.sql.trimEnd());
        out.line('');
      }
      out.line(
        `${result.pending.length} migration(s) would be applied on ${result.database} (dry run: nothing changed).`,
      );
      return;
    }
    for (const a of result.applied) out.line(`applied ${a.name} (${a.durationMs} ms)`);
    out.line(
      result.applied.length === 0
        ? `Nothing to apply on ${result.database}: up to date (${result.alreadyApplied} applied).`
        : `${result.applied.length} migration(s) applied on ${result.database}.`,
    );
  },
  exitCode(result) {
    if (result.mode === 'status') {
      if (result.drift.length > 0) return ExitCode.blocked;
      return result.pending.length > 0 ? ExitCode.warn : ExitCode.ok;
    }
    return ExitCode.ok;
  },
});
