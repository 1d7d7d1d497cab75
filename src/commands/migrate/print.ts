import type { Context } from '../../core/context.js';
import { colors } from '../shared/style.js';
import type { MigrateOptions } from './definition.js';
import type { MigrateResult } from './run.js';

/** The status, the dry run's SQL, or what was applied. */
export default function printMigrate(
  result: MigrateResult,
  options: MigrateOptions,
  ctx: Pick<Context, 'out' | 'settings'>,
): void {
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
}
