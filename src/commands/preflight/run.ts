import path from 'node:path';
import { usersFinder } from '../../core/cohort/users.js';
import { validateCohort, type CohortReport } from '../../core/cohort/validate.js';
import type { Context } from '../../core/context.js';
import { UsageError } from '../../core/errors.js';
import { verdictExitCode, verdictOf, type Verdict } from '../../core/monitor/verdict.js';
import { checkDatabase } from '../../core/ops/preflight/database-checks.js';
import { cohortItem, outDirItem, templatesItem } from '../../core/ops/preflight/content-checks.js';
import { checkMonitor, transportItem } from '../../core/ops/preflight/delivery-checks.js';
import { attempt, REMINDERS, type PreflightItem } from '../../core/ops/preflight/items.js';
import { defaultTemplateDir } from '../../core/render/templates.js';
import { chooseTransport } from '../../core/transports/choose.js';
import { defineRunner } from '../shared/define.js';
import { transportFlags } from '../shared/option-groups.js';
import type { PreflightOptions } from './definition.js';

/** The machine-checkable part of the T-72h checklist, and what is left to do by hand. */
export interface PreflightResult {
  verdict: Verdict;
  checkedAt: string;
  file: string;
  items: PreflightItem[];
  reminders: readonly string[];
}

async function cohortCheck(
  options: PreflightOptions,
  ctx: Pick<Context, 'db'>,
): Promise<[PreflightItem, string[]]> {
  let report: CohortReport | undefined;
  const line = await attempt('cohort', 'cohort', async () => {
    const checked = await validateCohort(options.file, {
      ...options,
      keep: 20,
      findUsers: options.checkUsers ? usersFinder(ctx.db) : undefined,
    });
    report = checked;
    return cohortItem(checked, options.force);
  });
  const extras = (report?.stats.columns ?? []).filter((c) => c !== 'email' && c !== 'cohort');
  return [line, extras];
}

export default defineRunner<PreflightOptions, PreflightResult>({
  async run(options, ctx, invocation) {
    const { flags, env } = transportFlags(options, invocation.sources);
    const transport = () => chooseTransport(flags, env);
    try {
      transport();
    } catch (error) {
      if (error instanceof UsageError) throw error; // two flags at once: a usage error
    }
    const checkedAt = ctx.clock();
    const items = await checkDatabase(() => ctx.db());
    const [cohort, extras] = await cohortCheck(options, ctx);
    items.push(cohort);
    const templateDir = options.template
      ? path.resolve(ctx.cwd, options.template)
      : defaultTemplateDir;
    items.push(
      await templatesItem({
        sender: options,
        templateDir,
        extras,
        timeZone: options.timeZone,
        now: checkedAt,
      }),
    );
    if (options.out !== undefined)
      items.push(await outDirItem(path.resolve(ctx.cwd, options.out), ctx.cwd));
    items.push(
      await transportItem(transport, { searchPath: ctx.settings.searchPath, cwd: ctx.cwd }),
    );
    items.push(...(await checkMonitor({ file: options.config, ctx })));
    return {
      verdict: verdictOf(items.map((i) => i.state)),
      checkedAt: checkedAt.toISOString(),
      file: options.file,
      items,
      reminders: REMINDERS,
    };
  },
  exitCode: (result) => verdictExitCode(result.verdict),
});
