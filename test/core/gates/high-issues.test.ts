import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubSearch, refusedUrl, startHttpServer, type TestServer } from '../../helpers/http.js';
import { checkOne, stable } from './check.js';

const PATH = '/search/issues';
const env = { GITHUB_TOKEN: 'ghp_secret' };
let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(async () => {
  await server.close();
});
const config = (over: Record<string, unknown> = {}) => ({
  apiUrl: server.url,
  repo: 'acme/app',
  label: 'severity:high',
  tokenEnv: 'GITHUB_TOKEN',
  max: 0,
  ...over,
});

describe('high_issues gate', () => {
  it('passes when total_count ≤ max, searching open issues with the label', async () => {
    server.route(PATH, githubSearch(0));
    server.requests.length = 0;
    expect(stable(await checkOne('high_issues', config(), { env }))).toEqual({
      gate: 'high_issues',
      state: 'pass',
      detail: '0 open "severity:high" issues in acme/app (max 0)',
      observed: 0,
    });
    const [req] = server.requests;
    expect(req?.url.searchParams.get('q')).toBe(
      'repo:acme/app is:issue is:open label:"severity:high"',
    );
    expect(req?.headers.authorization).toBe('Bearer ghp_secret');
    expect(req?.headers['user-agent']).toBe('beta-invites-monitor');
  });

  it('fails when total_count > max', async () => {
    server.route(PATH, githubSearch(3));
    expect(stable(await checkOne('high_issues', config({ max: 2 }), { env }))).toEqual({
      gate: 'high_issues',
      state: 'fail',
      detail: '3 open "severity:high" issues in acme/app (max 2)',
      observed: 3,
    });
  });

  it('is ⚪ when GitHub says the results are incomplete', async () => {
    server.route(PATH, githubSearch(0, true));
    const result = await checkOne('high_issues', config(), { env });
    expect({ state: result.state, detail: result.detail }).toEqual({
      state: 'unknown',
      detail: 'GitHub search incomplete (0 found so far)',
    });
  });

  it('searches anonymously without tokenEnv, and is ⚪ when the named token is not set', async () => {
    server.route(PATH, githubSearch(0));
    server.requests.length = 0;
    const anonymous = await checkOne('high_issues', config({ tokenEnv: undefined }));
    expect(anonymous.state).toBe('pass');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect((await checkOne('high_issues', config())).detail).toBe('GITHUB_TOKEN not set');
  });

  it('is ⚪ "rate limited" on GitHub\'s 403 with the reset time', async () => {
    const now = new Date('2026-05-01T18:00:00Z');
    server.route(PATH, {
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(now.getTime() / 1000 + 60),
      },
      body: { message: 'API rate limit exceeded' },
    });
    const result = await checkOne('high_issues', config(), { env, clock: () => now });
    expect(result.detail).toBe('rate limited (retry after 60s)');
    server.route(PATH, { status: 403, body: { message: 'Resource not accessible' } });
    expect((await checkOne('high_issues', config(), { env })).detail).toBe('HTTP 403');
  });

  it('is ⚪ on timeout and refused connection', async () => {
    server.route(PATH, 'hang');
    expect((await checkOne('high_issues', config(), { env, timeoutSeconds: 1 })).detail).toBe(
      'timeout after 1s',
    );
    expect(
      (await checkOne('high_issues', config({ apiUrl: await refusedUrl() }), { env })).detail,
    ).toBe('connection refused');
  });
});
