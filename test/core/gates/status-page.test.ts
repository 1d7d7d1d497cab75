import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedUrl, startHttpServer, statusPage, type TestServer } from '../../helpers/http.js';
import { checkOne, stable } from './check.js';

const PATH = '/api/v2/status.json';
let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(async () => {
  await server.close();
});
const check = (timeoutSeconds = 10) =>
  checkOne('status_page', { url: server.url + PATH }, { timeoutSeconds });

describe('status_page gate', () => {
  it('passes when status.indicator is none', async () => {
    server.route(PATH, statusPage('none'));
    expect(stable(await check())).toEqual({
      gate: 'status_page',
      state: 'pass',
      detail: 'operational: All Systems Operational',
      observed: 'none',
    });
  });

  it('fails on minor, major, critical and maintenance, with the description', async () => {
    for (const indicator of ['minor', 'major', 'critical', 'maintenance']) {
      server.route(PATH, statusPage(indicator, 'Partial System Outage'));
      expect(stable(await check())).toEqual({
        gate: 'status_page',
        state: 'fail',
        detail: `${indicator}: Partial System Outage`,
        observed: indicator,
      });
    }
  });

  it('is ⚪ for an answer it cannot read, with the reason', async () => {
    const cases: [Parameters<TestServer['route']>[1], string][] = [
      [{ body: { status: { indicator: 'purple' } } }, 'unexpected status.indicator "purple"'],
      [{ body: { page: {} } }, 'answer has no status.indicator'],
      [{ status: 503, body: 'down' }, 'HTTP 503'],
      [{ status: 401, body: {} }, 'HTTP 401'],
      [
        { status: 429, headers: { 'retry-after': '60' }, body: {} },
        'rate limited (retry after 60s)',
      ],
      ['hang', 'timeout after 1s'],
    ];
    for (const [reply, detail] of cases) {
      server.route(PATH, reply);
      const result = await check(reply === 'hang' ? 1 : 10);
      expect({ state: result.state, detail: result.detail }).toEqual({ state: 'unknown', detail });
    }
  });

  it('is ⚪ "connection refused" when the page is down', async () => {
    const result = await checkOne('status_page', { url: (await refusedUrl()) + PATH });
    expect(result.detail).toBe('connection refused');
  });
});
