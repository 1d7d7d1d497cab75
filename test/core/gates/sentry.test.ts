import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextPage } from '../../../src/core/gates/sentry.js';
import { refusedUrl, sentryIssues, startHttpServer, type TestServer } from '../../helpers/http.js';
import { checkOne, stable } from './check.js';

const PATH = '/api/0/organizations/acme/issues/';
const env = { SENTRY_TOKEN: 'sntrys_secret_value' };
let server: TestServer;
const config = (over: Record<string, unknown> = {}) => ({
  baseUrl: server.url,
  org: 'acme',
  project: 123,
  window: '24h',
  max: 0,
  ...over,
});

beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(async () => {
  await server.close();
});

describe('sentry gate', () => {
  it('passes with no matching issue, asking with the query, window, project and token', async () => {
    server.route(PATH, sentryIssues(0));
    server.requests.length = 0;
    const result = await checkOne('sentry', config(), { env });
    expect(stable(result)).toEqual({
      gate: 'sentry',
      state: 'pass',
      detail: '0 issues in 24h matching "is:unresolved issue.priority:high" (max 0)',
      observed: 0,
    });
    const [req] = server.requests;
    expect(req?.headers.authorization).toBe('Bearer sntrys_secret_value');
    expect(Object.fromEntries(req?.url.searchParams ?? [])).toEqual({
      query: 'is:unresolved issue.priority:high',
      statsPeriod: '24h',
      project: '123',
      limit: '100',
    });
  });

  it('counts across pages following the Link cursor, and fails over max', async () => {
    server.route(PATH, sentryIssues(5, 2));
    server.requests.length = 0;
    const result = await checkOne('sentry', config({ max: 4, query: 'level:fatal' }), { env });
    expect(stable(result)).toEqual({
      gate: 'sentry',
      state: 'fail',
      detail: '5 issues in 24h matching "level:fatal" (max 4)',
      observed: 5,
    });
    expect(server.requests.map((r) => r.url.searchParams.get('cursor'))).toEqual([
      null,
      '0:2:0',
      '0:4:0',
    ]);
  });

  it('passes at exactly max', async () => {
    server.route(PATH, sentryIssues(3, 2));
    expect((await checkOne('sentry', config({ max: 3 }), { env })).state).toBe('pass');
  });

  it('is ⚪ when the token variable is not set, without asking Sentry', async () => {
    server.requests.length = 0;
    const result = await checkOne('sentry', config({ tokenEnv: 'MY_SENTRY' }), { env });
    expect(stable(result)).toEqual({
      gate: 'sentry',
      state: 'unknown',
      detail: 'MY_SENTRY not set',
      observed: null,
    });
    expect(server.requests).toEqual([]);
  });

  it('is ⚪ with the reason: HTTP 401, rate limited, not JSON, not a list', async () => {
    const cases: [Parameters<TestServer['route']>[1], string][] = [
      [{ status: 401, body: { detail: 'Invalid token' } }, 'HTTP 401'],
      [
        { status: 429, headers: { 'retry-after': '60' }, body: {} },
        'rate limited (retry after 60s)',
      ],
      [
        { status: 200, body: '<html>login</html>', headers: { 'content-type': 'text/html' } },
        `answer from ${new URL(server.url).host} is not JSON`,
      ],
      [{ body: { detail: 'x' } }, 'answer is not a list of issues'],
      [{ status: 502, body: 'bad gateway' }, 'HTTP 502'],
    ];
    for (const [reply, detail] of cases) {
      server.route(PATH, reply);
      const result = await checkOne('sentry', config(), { env });
      expect({ state: result.state, detail: result.detail }).toEqual({ state: 'unknown', detail });
    }
  });

  it('never sends the token to another host named by a Link header', async () => {
    server.route(PATH, {
      body: [{ id: '1' }],
      headers: {
        link: '<http://evil.invalid/next?cursor=0:1:0>; rel="next"; results="true"; cursor="0:1:0"',
      },
    });
    const result = await checkOne('sentry', config({ max: 5 }), { env });
    expect(result.detail).toBe('pagination link to another host');
  });

  it('is ⚪ "timeout after 1s" when Sentry never answers, and "connection refused" when down', async () => {
    server.route(PATH, 'hang');
    const hung = await checkOne('sentry', config(), { env, timeoutSeconds: 1 });
    expect(stable(hung)).toEqual({
      gate: 'sentry',
      state: 'unknown',
      detail: 'timeout after 1s',
      observed: null,
    });
    const down = await checkOne('sentry', { ...config(), baseUrl: await refusedUrl() }, { env });
    expect(down.detail).toBe('connection refused');
  });
});

describe('nextPage', () => {
  it('follows rel="next" only while results="true"', () => {
    const header = (results: string) =>
      `<https://sentry.io/api/0/x/?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ` +
      `<https://sentry.io/api/0/x/?cursor=0:100:0>; rel="next"; results="${results}"; cursor="0:100:0"`;
    expect(nextPage(header('true'))).toBe('https://sentry.io/api/0/x/?cursor=0:100:0');
    expect(nextPage(header('false'))).toBeUndefined();
    expect(nextPage(null)).toBeUndefined();
  });
});
