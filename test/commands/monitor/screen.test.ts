import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { frame, renderScreen } from '../../../src/commands/monitor/screen.js';
import type { GateResult } from '../../../src/core/gates/types.js';
import type { GateTrack } from '../../../src/core/monitor/damping.js';
import type { CycleEvent } from '../../../src/core/monitor/watch.js';

const plain = new Chalk({ level: 0 });
const at = (hms: string) => new Date(`2026-05-01T${hms}Z`);
const result = (
  gate: GateResult['gate'],
  state: GateResult['state'],
  detail: string,
): GateResult => ({
  gate,
  state,
  detail,
  observed: null,
  durationMs: 3,
});

function event(): CycleEvent {
  const signups = result('signups', 'pass', '42 redeemed invites (min 30)');
  const status = result('status_page', 'fail', 'major: Partial outage');
  const tracks = new Map<GateResult['gate'], GateTrack>([
    [
      'signups',
      {
        shown: signups,
        since: at('17:40:00'),
        pending: { result: result('signups', 'unknown', 'timeout after 10s'), count: 1, needed: 3 },
      },
    ],
    ['status_page', { shown: status, since: at('17:55:00') }],
  ]);
  return {
    cycle: 12,
    report: { verdict: 'NO-GO', checkedAt: at('18:00:05').toISOString(), gates: [signups, status] },
    tracks,
    changes: [],
    previousVerdict: 'NO-GO',
    verdictSince: at('17:55:00'),
  };
}

describe('the terminal screen', () => {
  it('shows each gate with the time its state began, what damping holds back, the verdict and the countdown', () => {
    const lines = renderScreen(
      {
        intervalSeconds: 300,
        checking: false,
        event: event(),
        nextAt: at('18:05:05'),
        notice: '18:00:06 --on-change failed: exited with code 7',
      },
      at('18:00:13'),
      plain,
      200,
    );
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "beta-invites monitor, every 300s · checked 18:00:05 UTC · next check in 4:52

        ✅ signups      since 17:40:00  42 redeemed invites (min 30)
                                        ↳ seeing ⚪ 1/3: timeout after 10s
        🔴 status_page  since 17:55:00  major: Partial outage

        NO-GO since 17:55:00: 1 pass, 1 fail, 0 unknown

        18:00:06 --on-change failed: exited with code 7

      Ctrl-C to stop"
    `);
  });

  it('says it is checking before the first result, and cuts lines to the terminal width', () => {
    expect(
      renderScreen({ intervalSeconds: 60, checking: true }, at('18:00:00'), plain, 80),
    ).toEqual([
      'beta-invites monitor, every 60s · checking…',
      '',
      '  checking the gates…',
      '',
      'Ctrl-C to stop',
    ]);
    const narrow = renderScreen(
      { intervalSeconds: 60, checking: false, event: event() },
      at('18:00:00'),
      plain,
      40,
    );
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(38);
    // A terminal that reports no size: a usual width, not lines cut to nothing.
    const unsized = renderScreen(
      { intervalSeconds: 60, checking: false, event: event() },
      at('18:00:00'),
      plain,
      0,
    );
    expect(unsized).toContain('  🔴 status_page  since 17:55:00  major: Partial outage');
  });

  it('redraws in place: home, each line cleared to its end, the rest cleared', () => {
    expect(frame(['a', 'b'], true)).toBe('\x1b[2J\x1b[Ha\x1b[K\nb\x1b[K\n\x1b[J');
    expect(frame(['a'], false)).toBe('\x1b[Ha\x1b[K\n\x1b[J');
  });
});
