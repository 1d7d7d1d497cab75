import type { GateResult, GateState } from '../gates/types.js';

/** How many consecutive results it takes for a gate to change state (flap damping). */
export interface Damping {
  /** Consecutive 🔴 (or ⚪) results before a gate shows 🔴 (or ⚪). */
  failAfter: number;
  /** Consecutive ✅ results before a gate shows ✅ again. */
  passAfter: number;
}

/** What the monitor shows for one gate, and what it has been seeing. Constant size. */
export interface GateTrack {
  /** The result on display: its state only changes after enough consecutive results. */
  shown: GateResult;
  /** When `shown.state` began. */
  since: Date;
  /** A different state seen `count` times in a row, not yet on display. */
  pending?: { result: GateResult; count: number; needed: number };
}

/** A gate that changed state in this cycle (`from` undefined on the first check). */
export interface GateChange {
  gate: GateResult['gate'];
  from: GateState | undefined;
  to: GateResult;
}

/**
 * Folds one new result into a gate's track. The same state refreshes the detail; a
 * different one is shown only once it has been seen `failAfter` (to 🔴/⚪) or
 * `passAfter` (to ✅) times in a row; anything else resets that count.
 */
export function track(
  previous: GateTrack | undefined,
  result: GateResult,
  now: Date,
  damping: Damping,
): { track: GateTrack; change?: GateChange } {
  if (!previous)
    return {
      track: { shown: result, since: now },
      change: { gate: result.gate, from: undefined, to: result },
    };
  const from = previous.shown.state;
  if (result.state === from) return { track: { shown: result, since: previous.since } };
  const needed = result.state === 'pass' ? damping.passAfter : damping.failAfter;
  const count = previous.pending?.result.state === result.state ? previous.pending.count + 1 : 1;
  if (count < needed) {
    return {
      track: { shown: previous.shown, since: previous.since, pending: { result, count, needed } },
    };
  }
  return { track: { shown: result, since: now }, change: { gate: result.gate, from, to: result } };
}
