/**
 * The gates' names, in the order they are always shown. Apart from the registry (which
 * must list exactly these, see registry.ts) so that the command line can name them
 * without loading every gate and its config schema.
 */
export const GATE_NAMES = [
  'signups',
  'sentry',
  'status_page',
  'synthetic',
  'k6_nightly',
  'high_issues',
] as const;

export type GateName = (typeof GATE_NAMES)[number];
