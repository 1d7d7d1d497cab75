import { describe, expect, it } from 'vitest';
import type { GateResult, GateState } from '../../../src/core/gates/types.js';
import { track, type GateTrack } from '../../../src/core/monitor/damping.js';

const result = (state: GateState, detail = state): GateResult => ({
  gate: 'status_page',
  state,
  detail,
  observed: null,
  durationMs: 1,
});

/** Feeds states one per minute; returns the state shown after each and the changes seen. */
function feed(states: GateState[], failAfter: number, passAfter: number) {
  let t: GateTrack | undefined;
  const shown: GateState[] = [];
  const changes: string[] = [];
  states.forEach((state, i) => {
    const next = track(t, result(state), new Date(Date.UTC(2026, 4, 1, 18, i)), {
      failAfter,
      passAfter,
    });
    t = next.track;
    shown.push(t.shown.state);
    if (next.change) changes.push(`${i}:${next.change.from ?? '-'}>${next.change.to.state}`);
  });
  return { shown, changes, last: t };
}

describe('flap damping', () => {
  it('changes at once with the defaults (1 and 1)', () => {
    expect(feed(['pass', 'fail', 'pass', 'unknown'], 1, 1).changes).toEqual([
      '0:->pass',
      '1:pass>fail',
      '2:fail>pass',
      '3:pass>unknown',
    ]);
  });

  it('shows 🔴 only after failAfter consecutive failures; one pass in between resets the count', () => {
    const { shown, changes } = feed(['pass', 'fail', 'fail', 'pass', 'fail', 'fail', 'fail'], 3, 1);
    expect(shown).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail']);
    expect(changes).toEqual(['0:->pass', '6:pass>fail']);
  });

  it('shows ✅ again only after passAfter consecutive passes', () => {
    const { shown } = feed(['fail', 'pass', 'fail', 'pass', 'pass'], 1, 2);
    expect(shown).toEqual(['fail', 'fail', 'fail', 'fail', 'pass']);
  });

  it('keeps what it is seeing, and since when the shown state holds', () => {
    const { last } = feed(['pass', 'pass', 'unknown'], 2, 1);
    expect(last?.shown.state).toBe('pass');
    expect(last?.since).toEqual(new Date(Date.UTC(2026, 4, 1, 18, 0)));
    expect(last?.pending).toMatchObject({ count: 1, needed: 2, result: { state: 'unknown' } });
  });

  it('the first result is shown as it is, whatever the thresholds', () => {
    expect(feed(['fail'], 5, 5).shown).toEqual(['fail']);
  });
});
