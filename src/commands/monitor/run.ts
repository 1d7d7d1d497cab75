import { ExitCode, UsageError, errorMessage } from '../../core/errors.js';
import { GATE_NAMES } from '../../core/gates/types.js';
import { loadMonitorConfig } from '../../core/monitor/config.js';
import { checkGates } from '../../core/monitor/cycle.js';
import { onceSource } from '../../core/monitor/database.js';
import { verdictExitCode, type MonitorReport, type Verdict } from '../../core/monitor/verdict.js';
import { ShellWordsError, splitShellWords } from '../../core/shell-words.js';
import { defineRunner, flagName, type Invocation } from '../shared/define.js';
import type { MonitorOptions } from './definition.js';
import { runWatch, type LoopSettings } from './watch.js';

/** One check's report, or how a `--watch` loop ended. */
export type MonitorResult =
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

/** The loop's settings, or undefined for a single check (loop flags are then a mistake). */
function loopSettings(
  options: MonitorOptions,
  sources: Invocation<MonitorOptions>['sources'],
): LoopSettings | undefined {
  if (!options.watch) {
    const given = LOOP_ONLY.find((key) => sources[key] === 'cli');
    if (given) throw new UsageError(`${flagName(given)} only applies with --watch (or LOOP=1)`);
    return undefined;
  }
  return {
    intervalMs: options.interval * 1000,
    failAfter: options.failAfter,
    passAfter: options.passAfter,
    hook: options.onChange === undefined ? undefined : splitHook(options.onChange),
    json: options.json,
  };
}

export default defineRunner<MonitorOptions, MonitorResult>({
  // Both modes watch ctx.signal: a check returns at once, the loop closes its database.
  handlesInterrupt: true,
  async run(options, ctx, invocation) {
    const loop = loopSettings(options, invocation.sources);
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
  exitCode(result) {
    // A loop only ends when it is stopped; the verdicts are in its output.
    return result.mode === 'watch' ? ExitCode.interrupted : verdictExitCode(result.report.verdict);
  },
});
