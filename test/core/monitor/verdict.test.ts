import { describe, expect, it } from 'vitest';
import type { GateResult } from '../../../src/core/gates/types.js';
import { summarize, tally, verdictExitCode, verdictOf } from '../../../src/core/monitor/verdict.js';

const gate = (g: GateResult['gate'], state: GateResult['state'], detail: string): GateResult => ({
  gate: g,
  state,
  detail,
  observed: null,
  durationMs: 1,
});

describe('verdict', () => {
  it('is GO when all pass, NO-GO on any fail, INCOMPLETE on unknown without fail', () => {
    expect(verdictOf(['pass', 'pass'])).toBe('GO');
    expect(verdictOf(['pass', 'fail', 'unknown'])).toBe('NO-GO');
    expect(verdictOf(['pass', 'unknown'])).toBe('INCOMPLETE');
    expect(verdictOf([])).toBe('INCOMPLETE');
    expect([
      verdictExitCode('GO'),
      verdictExitCode('NO-GO'),
      verdictExitCode('INCOMPLETE'),
    ]).toEqual([0, 1, 2]);
  });

  it('summarizes in one line, failing gates first', () => {
    const gates = [
      gate('signups', 'pass', '40 redeemed invites (min 30)'),
      gate('sentry', 'unknown', 'SENTRY_TOKEN not set'),
      gate('status_page', 'fail', 'major: Partial outage'),
    ];
    expect(summarize({ verdict: 'NO-GO', gates })).toBe(
      'NO-GO: 🔴 status_page major: Partial outage; ⚪ sentry SENTRY_TOKEN not set',
    );
    expect(summarize({ verdict: 'GO', gates: gates.slice(0, 1) })).toBe('GO: all 1 gate pass');
    expect(tally(gates)).toBe('1 pass, 1 fail, 1 unknown');
  });
});
