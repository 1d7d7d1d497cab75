import { UserError, errorMessage } from '../errors.js';
import { redactUrls } from '../db/url.js';
import {
  GateUnknown,
  unknown,
  type GateDeps,
  type GateName,
  type GateOutcome,
  type GateResult,
} from '../gates/types.js';
import { untilAborted } from './abort.js';

/** One gate to check in a cycle. */
export interface GateJob {
  gate: GateName;
  check(deps: GateDeps): Promise<GateOutcome>;
}

export interface RunGatesOptions extends Omit<GateDeps, 'progress'> {
  /** Each gate's own limit. */
  timeoutMs: number;
}

/** "timeout after 10s" / "timeout after 0.5s". */
export function timeoutReason(ms: number): string {
  return `timeout after ${Number((ms / 1000).toFixed(1))}s`;
}

function outcomeOfError(
  error: unknown,
  aborted: { timeout: boolean; stop: boolean },
  ms: number,
): GateOutcome {
  if (aborted.timeout) return unknown(timeoutReason(ms));
  if (aborted.stop) return unknown('interrupted');
  if (error instanceof GateUnknown) return unknown(error.message);
  if (error instanceof UserError) return unknown(redactUrls(error.message));
  // A bug in one gate must not take the others (or the loop) down with it.
  return unknown(redactUrls(`unexpected error: ${errorMessage(error)}`));
}

async function runOne(job: GateJob, options: RunGatesOptions): Promise<GateResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let where: string | undefined;
  const deps: GateDeps = {
    signal,
    env: options.env,
    clock: options.clock,
    progress: (w) => (where = w),
  };
  let outcome: GateOutcome;
  try {
    outcome = await untilAborted(job.check(deps), signal);
  } catch (error) {
    outcome = outcomeOfError(
      error,
      { timeout: timeout.aborted, stop: options.signal.aborted },
      options.timeoutMs,
    );
    if (timeout.aborted && where) outcome.detail += ` (${where})`;
  }
  return { gate: job.gate, ...outcome, durationMs: Math.round(performance.now() - started) };
}

/**
 * Checks the gates concurrently, each under its own timeout: a hung or failing source
 * turns its own gate ⚪ with the reason and never delays or breaks the others. Never
 * rejects; results come back in the jobs' order.
 */
export function runGates(
  jobs: readonly GateJob[],
  options: RunGatesOptions,
): Promise<GateResult[]> {
  return Promise.all(jobs.map((job) => runOne(job, options)));
}
