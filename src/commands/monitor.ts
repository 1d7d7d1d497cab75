import { z } from 'zod';
import type { Context } from '../core/context.js';
import { ExitCode, UsageError, errorMessage } from '../core/errors.js';
import { GATE_NAMES, type GateName } from '../core/gates/types.js';
import { DEFAULT_CONFIG, loadMonitorConfig } from '../core/monitor/config.js';
import { checkGates } from '../core/monitor/cycle.js';
import { onceSource } from '../core/monitor/database.js';
import { verdictExitCode, type MonitorReport, type Verdict } from '../core/monitor/verdict.js';
import { ShellWordsError, splitShellWords } from '../core/shell-words.js';
import { defineCommand } from './command.js';
import { printReport } from './monitor-print.js';
import { runWatch, type LoopSettings } from './monitor-watch.js';

const atLeastOne = z.coerce
  .number({ error: 'expected a whole number ≥ 1' })
  .int({ error: 'expected a whole number ≥ 1' })
  .min(1, { error: 'expected a whole number ≥ 1' });

const gateList = z.string().transform((text, ctx): GateName[] => {
  const names = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknownNames = names.filter((n) => !(GATE_NAMES as readonly string[]).includes(n));
  if (names.length === 0 || unknownNames.length > 0) {
    const what =
      unknownNames.length > 0
        ? `unknown gate ${unknownNames.map((n) => `"${n}"`).join(', ')}`
        : 'no gate named';
    ctx.addIssue({ code: 'custom', message: `${what} (the gates are ${GATE_NAMES.join(', ')})` });
    return z.NEVER;
  }
  return GATE_NAMES.filter((g) => names.includes(g));
});

const schema = z
  .object({
    config: z.string().min(1).default(DEFAULT_CONFIG),
    only: gateList.optional(),
    json: z.boolean().default(false),
    watch: z.boolean().default(false),
    interval: atLeastOne.optional(),
    failAfter: atLeastOne.optional(),
    passAfter: atLeastOne.optional(),
    onChange: z.string().optional(),
  })
  .strict();
type Options = z.infer<typeof schema>;

type Result =
  | { mode: 'once'; report: MonitorReport }
  | { mode: 'watch'; cycles: number; lastVerdict: Verdict | undefined; stoppedBy: string };

const LOOP_ONLY = ['interval', 'failAfter', 'passAfter', 'onChange'] as const;

function splitHook(command: string): string[] {
  let words: string[];
  try {
    words = splitShellWords(command);
  } catch (error) {
    if (error instanceof ShellWordsError) throw new UsageError(`--on-change: ${error.message}`);
    throw error;
  }
  if (words.length === 0) throw new UsageError('--on-change: empty command');
  return words;
}

/** The loop's settings from flags and environment, or undefined for a single check. */
function loopSettings(options: Options, settings: Context['settings']): LoopSettings | undefined {
  if (!options.watch && !settings.loop) {
    const given = LOOP_ONLY.find((key) => options[key] !== undefined);
    if (given) {
      const flag = '--' + given.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase());
      throw new UsageError(`${flag} only applies with --watch (or LOOP=1)`);
    }
    return undefined;
  }
  let interval = options.interval;
  if (interval === undefined && settings.checkInterval !== undefined) {
    const parsed = atLeastOne.safeParse(settings.checkInterval);
    if (!parsed.success) {
      throw new UsageError(
        `CHECK_INTERVAL: expected a whole number of seconds ≥ 1, got "${settings.checkInterval}"`,
      );
    }
    interval = parsed.data;
  }
  return {
    intervalMs: (interval ?? 300) * 1000,
    failAfter: options.failAfter ?? 1,
    passAfter: options.passAfter ?? 1,
    hook: options.onChange === undefined ? undefined : splitHook(options.onChange),
    json: options.json,
  };
}

export default defineCommand({
  schema,
  // Both modes watch ctx.signal: a check returns at once, the loop closes its database.
  handlesInterrupt: true,
  async run(options, ctx): Promise<Result> {
    const loop = loopSettings(options, ctx.settings);
    const config = await loadMonitorConfig(options.config, ctx.cwd);
    const gates = options.only ?? GATE_NAMES;
    if (loop) {
      const result = await runWatch(config, gates, loop, ctx);
      return { mode: 'watch', ...result, stoppedBy: errorMessage(ctx.signal.reason) };
    }
    const report = await checkGates(config, gates, {
      signal: ctx.signal,
      env: ctx.settings.env,
      clock: ctx.clock,
      database: onceSource(ctx),
    });
    // Stopped mid-check: the ⚪ "interrupted" gates are no verdict; main reports the stop.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    return { mode: 'once', report };
  },
  print(result, options, ctx) {
    if (result.mode === 'watch') {
      const last = result.lastVerdict ? `; last verdict ${result.lastVerdict}` : '';
      ctx.out.error(`monitor stopped (${result.stoppedBy}) after ${result.cycles} checks${last}`);
      return;
    }
    if (options.json) ctx.out.json(result.report);
    else printReport(result.report, ctx);
  },
  exitCode(result) {
    // A loop only ends when it is stopped; the verdicts are in its output.
    return result.mode === 'watch' ? ExitCode.interrupted : verdictExitCode(result.report.verdict);
  },
});
