import { configuredCheck, usesDatabase } from '../gates/registry.js';
import { unknown, type GateDeps, type GateName, type GateResult } from '../gates/types.js';
import { childController } from './abort.js';
import type { MonitorConfig } from './config.js';
import type { DatabaseSource } from './database.js';
import { runGates, type GateJob } from './run-gates.js';
import { verdictOf, type MonitorReport } from './verdict.js';

/** What one check of the gates needs. */
export interface CycleDeps extends Pick<GateDeps, 'env' | 'clock'> {
  /** The monitor's stop signal (Ctrl-C, SIGTERM). */
  signal: AbortSignal;
  database: DatabaseSource;
}

/** The check of a configured gate, or undefined when the config leaves it out. */
function jobFor(
  gate: GateName,
  config: MonitorConfig,
  database: DatabaseSource,
): GateJob | undefined {
  const check = configuredCheck(gate, config.gates);
  return check && { gate, check: (deps) => check({ ...deps, database: () => database.sql() }) };
}

/**
 * Checks the given gates once, concurrently, and returns the report. Never rejects for
 * a gate's sake; a stop mid-check turns the gates still running ⚪ `interrupted`.
 */
export async function checkGates(
  config: MonitorConfig,
  gates: readonly GateName[],
  deps: CycleDeps,
): Promise<MonitorReport> {
  const jobs = gates.map((gate) => jobFor(gate, config, deps.database));
  const needsDatabase = jobs.some((job) => job !== undefined && usesDatabase(job.gate));
  // Per cycle, so that whatever hangs off it is dropped with it (see childController).
  const cycle = childController(deps.signal);
  const checkedAt = deps.clock();
  try {
    if (needsDatabase) await deps.database.prepare(cycle.signal);
    const ran = await runGates(
      jobs.filter((job): job is GateJob => job !== undefined),
      {
        signal: cycle.signal,
        env: deps.env,
        clock: deps.clock,
        timeoutMs: config.timeoutSeconds * 1000,
      },
    );
    const results = gates.map(
      (gate): GateResult =>
        ran.find((r) => r.gate === gate) ?? { gate, ...unknown('not configured'), durationMs: 0 },
    );
    return {
      verdict: verdictOf(results.map((r) => r.state)),
      checkedAt: checkedAt.toISOString(),
      gates: results,
    };
  } finally {
    if (needsDatabase) await deps.database.release();
    cycle.done();
  }
}
