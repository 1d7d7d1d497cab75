/** ✅ pass, 🔴 fail, ⚪ unknown (could not check; `detail` says why). */
export type GateState = 'pass' | 'fail' | 'unknown';

/**
 * A gate check's own answer; the runner adds the gate's name and the duration. Declared
 * apart from the gate names so that the checks (which the registry of names imports)
 * never depend on the registry.
 */
export interface GateOutcome {
  state: GateState;
  /** One line for the operator; for ⚪ always the reason (`timeout after 10s`, `HTTP 401`…). */
  detail: string;
  /** The measured value the verdict rests on (a count, an indicator, an age), or null. */
  observed: number | string | null;
}

/** What every gate check may use. */
export interface GateDeps {
  /** Aborted when the gate's timeout expires or the monitor is stopped. */
  signal: AbortSignal;
  /** The environment, only to read the variables a config names (`tokenEnv`). */
  env: Readonly<Record<string, string | undefined>>;
  clock: () => Date;
  /** Where a long check is (`step 2 "login"`), so a timeout can say where it struck. */
  progress?: (where: string) => void;
}

/**
 * Thrown inside a check to end it ⚪ with a reason the operator can act on. Keeps the
 * happy path of each gate straight: the runner turns it into an outcome.
 */
export class GateUnknown extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'GateUnknown';
  }
}

export const pass = (detail: string, observed: GateOutcome['observed']): GateOutcome => ({
  state: 'pass',
  detail,
  observed,
});

export const fail = (detail: string, observed: GateOutcome['observed']): GateOutcome => ({
  state: 'fail',
  detail,
  observed,
});

export const unknown = (reason: string): GateOutcome => ({
  state: 'unknown',
  detail: reason,
  observed: null,
});

/** Reads the secret named by `tokenEnv`, or ends the gate ⚪ `NAME not set`. */
export function readToken(deps: Pick<GateDeps, 'env'>, name: string): string {
  const value = deps.env[name]?.trim();
  if (!value) throw new GateUnknown(`${name} not set`);
  return value;
}
