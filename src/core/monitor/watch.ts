import type { GateName } from '../gates/types.js';
import { sleep } from './abort.js';
import { track, type Damping, type GateChange, type GateTrack } from './damping.js';
import { verdictOf, type MonitorReport, type Verdict } from './verdict.js';

export interface WatchOptions extends Damping {
  intervalMs: number;
}

/** What one cycle of the loop saw, after damping. */
export interface CycleEvent {
  cycle: number;
  /** The gates as shown (damped) and the verdict they make. */
  report: MonitorReport;
  tracks: ReadonlyMap<GateName, GateTrack>;
  /** Gates whose shown state changed in this cycle (all of them on the first). */
  changes: GateChange[];
  /** The verdict before this cycle (undefined on the first). */
  previousVerdict: Verdict | undefined;
  verdictSince: Date;
}

export interface WatchHooks {
  /** A cycle begins (the screen shows "checking…"). */
  checking?: (cycle: number) => void;
  /** A cycle ended; the loop waits for this before sleeping. */
  checked: (event: CycleEvent) => void | Promise<void>;
  /** Called about once a second while waiting, if given (the countdown). */
  waiting?: (nextAt: Date) => void;
}

export interface WatchDeps {
  signal: AbortSignal;
  clock: () => Date;
}

/** How the loop ended. */
export interface WatchResult {
  cycles: number;
  lastVerdict: Verdict | undefined;
}

async function waitUntil(nextAt: Date, hooks: WatchHooks, deps: WatchDeps): Promise<void> {
  for (;;) {
    const left = nextAt.getTime() - deps.clock().getTime();
    if (left <= 0 || deps.signal.aborted) return;
    hooks.waiting?.(nextAt);
    await sleep(
      hooks.waiting ? Math.min(left, 1000 - (Date.now() % 1000) || 1000) : left,
      deps.signal,
    );
  }
}

/**
 * Checks the gates, waits `intervalMs`, and again, until the signal aborts, which ends
 * the loop at once, mid-check or mid-wait. State is one track per gate and the last
 * verdict: nothing grows with the number of cycles.
 */
export async function watch(
  check: (signal: AbortSignal) => Promise<MonitorReport>,
  options: WatchOptions,
  hooks: WatchHooks,
  deps: WatchDeps,
): Promise<WatchResult> {
  const tracks = new Map<GateName, GateTrack>();
  let verdict: Verdict | undefined;
  let verdictSince = deps.clock();
  let cycle = 0;
  while (!deps.signal.aborted) {
    const started = deps.clock();
    hooks.checking?.(cycle + 1);
    const raw = await check(deps.signal);
    if (deps.signal.aborted) break;
    cycle++;
    const changes: GateChange[] = [];
    for (const result of raw.gates) {
      const next = track(tracks.get(result.gate), result, started, options);
      tracks.set(result.gate, next.track);
      if (next.change) changes.push(next.change);
    }
    const shown = raw.gates.map((g) => tracks.get(g.gate)?.shown ?? g);
    const report: MonitorReport = {
      verdict: verdictOf(shown.map((g) => g.state)),
      checkedAt: raw.checkedAt,
      gates: shown,
    };
    if (report.verdict !== verdict) verdictSince = started;
    await hooks.checked({ cycle, report, tracks, changes, previousVerdict: verdict, verdictSince });
    verdict = report.verdict;
    // Counted from the end of the check, so there is always a pause between two checks
    // (the embedded database is free for other commands during it).
    await waitUntil(new Date(deps.clock().getTime() + options.intervalMs), hooks, deps);
  }
  return { cycles: cycle, lastVerdict: verdict };
}
