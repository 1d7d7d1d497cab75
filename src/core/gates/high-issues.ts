import { z } from 'zod';
import { getJson } from './http.js';
import { envName, httpUrl, wholeNumber } from './schemas.js';
import { fail, pass, readToken, unknown, type GateDeps, type GateOutcome } from './outcome.js';

/** `gates.high_issues` in the monitor config. */
export const highIssuesConfig = z
  .object({
    apiUrl: httpUrl.default('https://api.github.com'),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: 'expected owner/name' }),
    label: z.string().min(1, { error: 'expected a label' }),
    /** Without it the search is anonymous (public repositories, low rate limit). */
    tokenEnv: envName.optional(),
    max: wholeNumber.default(0),
  })
  .strict();
export type HighIssuesConfig = z.infer<typeof highIssuesConfig>;

const answer = z.object({ total_count: z.number(), incomplete_results: z.boolean().optional() });

/** Open issues carrying the label, via GitHub's search API: `total_count` ≤ `max`. */
export async function checkHighIssues(
  config: HighIssuesConfig,
  deps: GateDeps,
): Promise<GateOutcome> {
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'beta-invites-monitor',
  };
  if (config.tokenEnv) headers.authorization = `Bearer ${readToken(deps, config.tokenEnv)}`;
  const q = `repo:${config.repo} is:issue is:open label:"${config.label.replace(/"/g, '')}"`;
  const url = new URL('search/issues', config.apiUrl.replace(/\/*$/, '/'));
  url.searchParams.set('q', q);
  url.searchParams.set('per_page', '1');
  const { body } = await getJson(url.toString(), headers, deps);
  const parsed = answer.safeParse(body);
  if (!parsed.success) return unknown('answer has no total_count');
  // GitHub's search timed out and the count may be short: neither ✅ nor 🔴 can be trusted.
  if (parsed.data.incomplete_results === true) {
    return unknown(`GitHub search incomplete (${parsed.data.total_count} found so far)`);
  }
  const n = parsed.data.total_count;
  const detail = `${n} open "${config.label}" issue${n === 1 ? '' : 's'} in ${config.repo} (max ${config.max})`;
  return n <= config.max ? pass(detail, n) : fail(detail, n);
}
