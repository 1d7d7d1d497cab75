import type { Context } from '../../core/context.js';
import { tokenNames, type MonitorConfig } from '../../core/monitor/config.js';
import { checkGates } from '../../core/monitor/cycle.js';
import { watchSource } from '../../core/monitor/database.js';
import { runHook } from '../../core/monitor/on-change.js';
import { summarize } from '../../core/monitor/verdict.js';
import {
  watch,
  type CycleEvent,
  type WatchHooks,
  type WatchOptions,
  type WatchResult,
} from '../../core/monitor/watch.js';
import type { GateName } from '../../core/gates/types.js';
import { changeLine, clockTime, stamp, verdictLine } from './lines.js';
import { frame, renderScreen, type ScreenState } from './screen.js';
import { colors } from '../shared/style.js';

/** The loop's settings, validated by the command. */
export interface LoopSettings extends WatchOptions {
  /** `--on-change`, split into words. */
  hook?: string[];
  json: boolean;
}

/** What the loop prints, and where a failed hook is reported. */
interface View extends WatchHooks {
  notice: (message: string, at: Date) => void;
}

/** Not a terminal (cron, `tee`, a file): a line per gate change and one verdict line per cycle. */
function logView(ctx: Pick<Context, 'out'>): View {
  return {
    checked: (e) => {
      const at = new Date(e.report.checkedAt);
      for (const change of e.changes) ctx.out.line(changeLine(change, at));
      ctx.out.line(verdictLine(e.report, e.previousVerdict, at));
    },
    notice: (message, at) => ctx.out.error(`${stamp(at)} ${message}`),
  };
}

/** `--json`: one JSON document per cycle, one per line (JSON Lines). */
function jsonView(ctx: Pick<Context, 'out'>): View {
  return {
    checked: (e) => {
      ctx.out.stdout.write(JSON.stringify(e.report) + '\n');
    },
    notice: (message, at) => ctx.out.error(`${stamp(at)} ${message}`),
  };
}

/** A terminal: one screen redrawn in place, with the countdown to the next check. */
function screenView(
  ctx: Pick<Context, 'out' | 'settings' | 'clock'>,
  intervalSeconds: number,
): View {
  const c = colors(ctx);
  const state: ScreenState = { intervalSeconds, checking: true };
  let first = true;
  const draw = (): void => {
    const columns = (ctx.out.stdout as { columns?: number }).columns ?? 100;
    ctx.out.stdout.write(frame(renderScreen(state, ctx.clock(), c, columns), first));
    first = false;
  };
  return {
    checking: () => {
      state.checking = true;
      draw();
    },
    checked: (e) => {
      Object.assign(state, { checking: false, event: e, nextAt: undefined });
      draw();
    },
    waiting: (nextAt) => {
      state.nextAt = nextAt;
      draw();
    },
    notice: (message, at) => {
      state.notice = `${clockTime(at)} ${message}`;
      draw();
    },
  };
}

function pickView(ctx: Pick<Context, 'out' | 'settings' | 'clock'>, loop: LoopSettings): View {
  if (loop.json) return jsonView(ctx);
  return ctx.out.isTTY ? screenView(ctx, loop.intervalMs / 1000) : logView(ctx);
}

/**
 * The hook's environment: the monitor's own, without the tokens the config names. They
 * are meant for the gates' hosts only; a notification script has no use for them.
 */
function hookEnv(config: MonitorConfig, ctx: Pick<Context, 'settings'>): Record<string, string> {
  const secret = new Set(tokenNames(config));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.settings.env)) {
    if (value !== undefined && !secret.has(name)) env[name] = value;
  }
  return env;
}

/** Runs `--on-change` when the verdict changed (not on the first check: nothing changed). */
async function onVerdictChange(
  e: CycleEvent,
  loop: LoopSettings & { env: Record<string, string> },
  view: View,
  ctx: Context,
): Promise<void> {
  if (!loop.hook || !e.previousVerdict || e.previousVerdict === e.report.verdict) return;
  const problem = await runHook(
    loop.hook,
    loop.env,
    {
      VERDICT: e.report.verdict,
      PREVIOUS_VERDICT: e.previousVerdict,
      SUMMARY: summarize(e.report),
    },
    ctx.signal,
  );
  if (problem && !ctx.signal.aborted) view.notice(`--on-change failed: ${problem}`, ctx.clock());
}

/**
 * The `--watch` loop: checks, prints the way the output calls for, runs the hook, until
 * Ctrl-C or SIGTERM. The embedded database is opened per cycle (see watchSource).
 */
export async function runWatch(
  config: MonitorConfig,
  gates: readonly GateName[],
  loop: LoopSettings,
  ctx: Context,
): Promise<WatchResult> {
  const database = watchSource(ctx.settings, (m) => ctx.out.error(m));
  const view = pickView(ctx, loop);
  const withEnv = { ...loop, env: hookEnv(config, ctx) };
  const hooks: WatchHooks = {
    checking: view.checking,
    waiting: view.waiting,
    checked: async (e) => {
      await view.checked(e);
      await onVerdictChange(e, withEnv, view, ctx);
    },
  };
  try {
    return await watch(
      (signal) =>
        checkGates(config, gates, { signal, env: ctx.settings.env, clock: ctx.clock, database }),
      loop,
      hooks,
      { signal: ctx.signal, clock: ctx.clock },
    );
  } finally {
    await database.close();
  }
}
