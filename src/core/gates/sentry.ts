import { z } from 'zod';
import { getJson } from './http.js';
import { envName, httpUrl, wholeNumber } from './schemas.js';
import {
  GateUnknown,
  fail,
  pass,
  readToken,
  unknown,
  type GateDeps,
  type GateOutcome,
} from './outcome.js';

/** `gates.sentry` in the monitor config. */
export const sentryConfig = z
  .object({
    baseUrl: httpUrl.default('https://sentry.io'),
    org: z.string().regex(/^[\w.-]+$/, { error: 'expected an organization slug' }),
    project: z
      .union([z.string().regex(/^[\w.-]+$/), z.number().int()], {
        error: (issue) =>
          issue.input === undefined ? 'required' : 'expected a project id or slug',
      })
      .transform(String),
    tokenEnv: envName.default('SENTRY_TOKEN'),
    query: z.string().default('is:unresolved issue.priority:high'),
    window: z
      .string()
      .regex(/^\d+[smhdw]$/, { error: 'expected a period like 24h, 90m, 14d' })
      .default('24h'),
    max: wholeNumber.default(0),
  })
  .strict();
export type SentryConfig = z.infer<typeof sentryConfig>;

/** Pages followed at most (100 issues each): beyond that the count is a lower bound. */
const MAX_PAGES = 10;

/**
 * The next page from a Sentry `Link` header: the `rel="next"` link, only while it says
 * `results="true"` (Sentry always sends a next link, even past the last page).
 */
export function nextPage(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const match of link.matchAll(/<([^>]*)>([^<]*)/g)) {
    const params = match[2] ?? '';
    if (/\brel="?next"?/.test(params) && /\bresults="?true"?/.test(params)) return match[1];
  }
  return undefined;
}

function firstPage(config: SentryConfig): string {
  const url = new URL(
    `api/0/organizations/${encodeURIComponent(config.org)}/issues/`,
    config.baseUrl.replace(/\/*$/, '/'),
  );
  url.searchParams.set('query', config.query);
  url.searchParams.set('statsPeriod', config.window);
  url.searchParams.set('project', config.project);
  url.searchParams.set('limit', '100');
  return url.toString();
}

/** Counts the issues of the organization matching `query` in the window, across pages. */
async function countIssues(config: SentryConfig, deps: GateDeps): Promise<[number, boolean]> {
  const headers = { authorization: `Bearer ${readToken(deps, config.tokenEnv)}` };
  const origin = new URL(config.baseUrl).origin;
  let url: string | undefined = firstPage(config);
  let count = 0;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    // The token goes only to the configured host, whatever a Link header says.
    if (new URL(url).origin !== origin) throw new GateUnknown('pagination link to another host');
    const { body, response } = await getJson(url, headers, deps);
    if (!Array.isArray(body)) throw new GateUnknown('answer is not a list of issues');
    count += body.length;
    url = nextPage(response.headers.get('link'));
  }
  return [count, url !== undefined];
}

/** Sentry issues matching the query in the last `window`: at most `max`. */
export async function checkSentry(config: SentryConfig, deps: GateDeps): Promise<GateOutcome> {
  const [count, more] = await countIssues(config, deps);
  const n = more ? `${count}+` : String(count);
  const detail = `${n} issue${count === 1 && !more ? '' : 's'} in ${config.window} matching "${config.query}" (max ${config.max})`;
  if (count > config.max) return fail(detail, count);
  // Pages left unread with the count still under max: the rest could change the answer.
  if (more) return unknown(`more than ${MAX_PAGES} pages of issues; raise max or narrow the query`);
  return pass(detail, count);
}
