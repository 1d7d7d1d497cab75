import { describe, expect, it } from 'vitest';
import type { GateState } from '../../../src/core/gates/types.js';
import { verdictOf, type MonitorReport } from '../../../src/core/monitor/verdict.js';
import { watch, type CycleEvent } from '../../../src/core/monitor/watch.js';

/** A check whose status_page state follows a script, one entry per cycle. */
function scripted(states: GateState[]) {
  let i = 0;
  return (): Promise<MonitorReport> => {
    const state = states[Math.min(i++, states.length - 1)] ?? 'pass';
    return Promise.resolve({
      verdict: verdictOf([state]),
      checkedAt: new Date().toISOString(),
      gates: [
        { gate: 'status_page', state, detail: `seen ${state}`, observed: null, durationMs: 0 },
      ],
    });
  };
}

describe('watch', () => {
  it('reports changes and verdict transitions after damping, then stops on the signal', async () => {
    const stop = new AbortController();
    const events: CycleEvent[] = [];
    const states: GateState[] = ['pass', 'fail', 'fail', 'pass', 'pass', 'pass'];
    const result = await watch(
      scripted(states),
      { intervalMs: 0, failAfter: 2, passAfter: 1 },
      {
        checked: (e) => {
          events.push(e);
          if (e.cycle === states.length) stop.abort(new Error('enough'));
        },
      },
      { signal: stop.signal, clock: () => new Date() },
    );
    expect(result).toEqual({ cycles: 6, lastVerdict: 'GO' });
    expect(
      events.map((e) => [
        e.report.verdict,
        e.previousVerdict,
        e.changes.map((c) => `${c.from ?? '-'}>${c.to.state}`),
      ]),
    ).toEqual([
      ['GO', undefined, ['->pass']],
      ['GO', 'GO', []],
      ['NO-GO', 'GO', ['pass>fail']],
      ['GO', 'NO-GO', ['fail>pass']],
      ['GO', 'GO', []],
      ['GO', 'GO', []],
    ]);
  });

  it('stops at once while waiting for the next check', async () => {
    const stop = new AbortController();
    let cycles = 0;
    const waiting = watch(
      scripted(['pass']),
      { intervalMs: 3_600_000, failAfter: 1, passAfter: 1 },
      {
        checked: () => {
          cycles++;
          setTimeout(() => stop.abort(new Error('SIGTERM')), 50);
        },
      },
      { signal: stop.signal, clock: () => new Date() },
    );
    expect(await waiting).toEqual({ cycles: 1, lastVerdict: 'GO' });
    expect(cycles).toBe(1);
  });

  it('keeps one track per gate however many cycles run', async () => {
    const stop = new AbortController();
    let last: CycleEvent | undefined;
    const states: GateState[] = Array.from({ length: 3000 }, (_, i) =>
      i % 3 === 0 ? 'fail' : 'pass',
    );
    await watch(
      scripted(states),
      { intervalMs: 0, failAfter: 1, passAfter: 1 },
      {
        checked: (e) => {
          last = e;
          if (e.cycle === states.length) stop.abort(new Error('enough'));
        },
      },
      { signal: stop.signal, clock: () => new Date() },
    );
    expect(last?.cycle).toBe(3000);
    expect(last?.tracks.size).toBe(1);
  });
});
