import { ExitCode } from '../errors.js';
import type { GateResult, GateState } from '../gates/types.js';

/** GO: every gate ✅. NO-GO: any 🔴. INCOMPLETE: some ⚪ and no 🔴. */
export type Verdict = 'GO' | 'NO-GO' | 'INCOMPLETE';

/** One check of the gates: what `--json` prints. */
export interface MonitorReport {
  verdict: Verdict;
  /** ISO 8601, UTC. */
  checkedAt: string;
  gates: GateResult[];
}

export function verdictOf(states: readonly GateState[]): Verdict {
  if (states.includes('fail')) return 'NO-GO';
  if (states.includes('unknown') || states.length === 0) return 'INCOMPLETE';
  return 'GO';
}

/** GO 0, NO-GO 1, INCOMPLETE 2: the shared codes (blocked / warn). */
export function verdictExitCode(verdict: Verdict): ExitCode {
  if (verdict === 'GO') return ExitCode.ok;
  return verdict === 'NO-GO' ? ExitCode.blocked : ExitCode.warn;
}

const MARK: Record<GateState, string> = { pass: '✅', fail: '🔴', unknown: '⚪' };

/** 🔴 failing gates first, then ⚪: what to look at, most urgent first. */
function needingAttention(gates: readonly GateResult[]): GateResult[] {
  return [
    ...gates.filter((g) => g.state === 'fail'),
    ...gates.filter((g) => g.state === 'unknown'),
  ];
}

/**
 * One line that stands alone (a chat message, the end of a report): the verdict and
 * each gate that is not ✅ with its detail.
 */
export function summarize(report: Pick<MonitorReport, 'verdict' | 'gates'>): string {
  const { verdict, gates } = report;
  if (verdict === 'GO') return `GO: all ${gates.length} gate${gates.length === 1 ? '' : 's'} pass`;
  const parts = needingAttention(gates).map((g) => `${MARK[g.state]} ${g.gate} ${g.detail}`);
  return `${verdict}: ${parts.join('; ')}`;
}

/** "4 pass, 1 fail, 1 unknown". */
export function tally(gates: readonly GateResult[]): string {
  const n = (s: GateState): number => gates.filter((g) => g.state === s).length;
  return `${n('pass')} pass, ${n('fail')} fail, ${n('unknown')} unknown`;
}
