import { z } from 'zod';
import { getJson } from './http.js';
import { httpUrl } from './schemas.js';
import { fail, pass, unknown, type GateDeps, type GateOutcome } from './outcome.js';

/** `gates.status_page` in the monitor config. */
export const statusPageConfig = z.object({ url: httpUrl }).strict();
export type StatusPageConfig = z.infer<typeof statusPageConfig>;

const answer = z.object({
  status: z.object({ indicator: z.string(), description: z.string().optional() }),
});

// Statuspage's indicators; `maintenance` is a planned degradation, still not a GO.
const DEGRADED = new Set(['minor', 'major', 'critical', 'maintenance']);

/** A Statuspage-style `/api/v2/status.json`: `status.indicator` must be `none`. */
export async function checkStatusPage(
  config: StatusPageConfig,
  deps: GateDeps,
): Promise<GateOutcome> {
  const { body } = await getJson(config.url, {}, deps);
  const parsed = answer.safeParse(body);
  if (!parsed.success) return unknown('answer has no status.indicator');
  const { indicator, description } = parsed.data.status;
  const said = description ? `: ${description}` : '';
  if (indicator === 'none') return pass(`operational${said}`, indicator);
  if (DEGRADED.has(indicator)) return fail(`${indicator}${said}`, indicator);
  return unknown(`unexpected status.indicator "${indicator.slice(0, 40)}"`);
}
