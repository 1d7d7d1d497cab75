import type { GateName } from './registry.js';
import type { GateOutcome } from './outcome.js';

export { GATE_NAMES, type GateName } from './registry.js';
export * from './outcome.js';

/** What one check of one gate found. Every gate returns this shape. */
export interface GateResult extends GateOutcome {
  gate: GateName;
  durationMs: number;
}
