import { z } from 'zod';
import { discard, readText, send } from './http.js';
import { httpUrl } from './schemas.js';
import { GateUnknown, fail, pass, type GateDeps, type GateOutcome } from './outcome.js';

const step = z
  .object({
    name: z.string().min(1, { error: 'expected a name' }),
    method: z
      .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], {
        error: 'expected GET, HEAD, POST, PUT, PATCH or DELETE',
      })
      .default('GET'),
    url: httpUrl,
    expectStatus: z.number().int().min(100).max(599).default(200),
    /** Text the answer's body must contain. */
    expectText: z.string().min(1).optional(),
    body: z.string().optional(),
    contentType: z.string().optional(),
  })
  .strict();
type Step = z.infer<typeof step>;

/** `gates.synthetic` in the monitor config: the journey, in order. */
export const syntheticConfig = z
  .object({ steps: z.array(step).min(1, { error: 'expected at least one step' }) })
  .strict();
export type SyntheticConfig = z.infer<typeof syntheticConfig>;

/** Runs one step; returns why it failed, or undefined when it passed. */
async function runStep(s: Step, deps: GateDeps): Promise<string | undefined> {
  const response = await send(
    s.url,
    {
      method: s.method,
      body: s.body,
      headers: s.contentType ? { 'content-type': s.contentType } : {},
      // A step that expects a redirect checks the redirect itself, not where it leads.
      redirect: s.expectStatus >= 300 && s.expectStatus < 400 ? 'manual' : 'follow',
    },
    deps,
  );
  if (response.status !== s.expectStatus) {
    await discard(response);
    return `expected HTTP ${s.expectStatus}, got ${response.status}`;
  }
  if (s.expectText === undefined || s.method === 'HEAD') {
    await discard(response);
    return undefined;
  }
  const text = await readText(response, deps);
  return text.includes(s.expectText) ? undefined : `"${s.expectText}" not in the answer`;
}

/**
 * A user journey: every step in order, stopping at the first failure and naming it.
 * A wrong status or missing text is 🔴; a step that got no answer at all is ⚪.
 */
export async function checkSynthetic(
  config: SyntheticConfig,
  deps: GateDeps,
): Promise<GateOutcome> {
  const total = config.steps.length;
  for (const [i, s] of config.steps.entries()) {
    const where = `step ${i + 1}/${total} "${s.name}"`;
    deps.progress?.(where);
    let problem: string | undefined;
    try {
      problem = await runStep(s, deps);
    } catch (error) {
      if (error instanceof GateUnknown) throw new GateUnknown(`${where}: ${error.message}`);
      throw error;
    }
    if (problem) return fail(`${where}: ${problem}`, i);
  }
  return pass(`${total}/${total} steps passed`, total);
}
