import type { Sql } from 'postgres';
import { z } from 'zod';
import { GATE_NAMES, type GateName } from './names.js';
import { checkHighIssues, highIssuesConfig } from './high-issues.js';
import { checkK6Nightly, k6NightlyConfig } from './k6-nightly.js';
import type { GateDeps, GateOutcome } from './outcome.js';
import { checkSentry, sentryConfig } from './sentry.js';
import { checkSignups, signupsConfig } from './signups.js';
import { checkStatusPage, statusPageConfig } from './status-page.js';
import { checkSynthetic, syntheticConfig } from './synthetic.js';

/** What a check is given: every gate's deps, and the database for those that use it. */
export interface CheckDeps extends GateDeps {
  database: () => Promise<Sql>;
}

/** One gate: how its config is validated, how it is checked, which secret it reads. */
export interface GateSpec<Schema extends z.ZodType> {
  /** `gates.<name>` in the monitor config. */
  schema: Schema;
  check(config: z.output<Schema>, deps: CheckDeps): Promise<GateOutcome>;
  /** The environment variable holding the gate's secret, as its config names it. */
  tokenEnv?(config: z.output<Schema>): string | undefined;
  /** The check queries the database, which is then opened before the gates start. */
  usesDatabase?: boolean;
}

/** Ties a spec's functions to its schema's output type. */
const gate = <Schema extends z.ZodType>(spec: GateSpec<Schema>): GateSpec<Schema> => spec;

/** Every gate, declared once; `satisfies` holds it to exactly the names of names.ts. */
const SPECS = {
  signups: gate({ schema: signupsConfig, check: checkSignups, usesDatabase: true }),
  sentry: gate({ schema: sentryConfig, check: checkSentry, tokenEnv: (c) => c.tokenEnv }),
  status_page: gate({ schema: statusPageConfig, check: checkStatusPage }),
  synthetic: gate({ schema: syntheticConfig, check: checkSynthetic }),
  k6_nightly: gate({ schema: k6NightlyConfig, check: checkK6Nightly }),
  high_issues: gate({
    schema: highIssuesConfig,
    check: checkHighIssues,
    tokenEnv: (c) => c.tokenEnv,
  }),
} satisfies { [K in GateName]: unknown };
type Specs = typeof SPECS;

/** Each gate's config once validated (defaults filled in). */
export type GateConfigs = { [K in GateName]: z.output<Specs[K]['schema']> };

/** `gates` in a validated monitor config: each gate configured, or left out. */
export type ConfiguredGates = { [K in GateName]?: GateConfigs[K] };

/**
 * The registry, typed as one mapped type so that, for a generic name `K`, the entry's
 * functions take exactly `GateConfigs[K]`: a config looked up by the same name fits
 * without a cast or a non-null assertion.
 */
export const GATES: { readonly [K in GateName]: GateSpec<Specs[K]['schema']> } = SPECS;

export { GATE_NAMES, type GateName };

type GatesShape = { [K in GateName]: z.ZodOptional<Specs[K]['schema']> };

function optionalGates(): GatesShape {
  const shape = Object.fromEntries(
    GATE_NAMES.map((name) => [name, z.optional(GATES[name].schema)]),
  );
  // Built from GATE_NAMES, so it has exactly GatesShape's keys; the type cannot follow.
  return shape as GatesShape;
}

/** `gates` in the monitor config: extra keys are errors, a gate left out is ⚪. */
export const gatesConfig = z.object(optionalGates()).strict();

/** The check of a configured gate with its config bound, or undefined when left out. */
export function configuredCheck<K extends GateName>(
  name: K,
  gates: ConfiguredGates,
): ((deps: CheckDeps) => Promise<GateOutcome>) | undefined {
  const config = gates[name];
  if (config === undefined) return undefined;
  const spec = GATES[name];
  return (deps) => spec.check(config, deps);
}

/** Whether checking this gate needs the database. */
export function usesDatabase(name: GateName): boolean {
  return GATES[name].usesDatabase === true;
}

function tokenOf<K extends GateName>(name: K, gates: ConfiguredGates): string | undefined {
  const config = gates[name];
  return config === undefined ? undefined : GATES[name].tokenEnv?.(config);
}

/** The environment variables the configured gates read secrets from (their `tokenEnv`). */
export function tokenEnvNames(gates: ConfiguredGates): string[] {
  return GATE_NAMES.flatMap((name) => tokenOf(name, gates) ?? []);
}
