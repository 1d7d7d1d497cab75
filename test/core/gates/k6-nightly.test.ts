import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readThresholds, summaryTimestamp } from '../../../src/core/gates/k6-summary.js';
import { startHttpServer, type TestServer } from '../../helpers/http.js';
import { checkOne, stable } from './check.js';

const NOW = new Date('2026-05-01T18:00:00Z');
const clock = () => NOW;
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

/** `handleSummary(data)` shape: thresholds carry `{ ok }`. */
const handleSummary = (ok: boolean, extra: Record<string, unknown> = {}) => ({
  ...extra,
  metrics: {
    http_req_duration: {
      type: 'trend',
      values: { 'p(95)': 420 },
      thresholds: { 'p(95)<500': { ok } },
    },
    checks: { type: 'rate', values: { rate: 1 }, thresholds: { 'rate>0.99': { ok: true } } },
    iterations: { type: 'counter', values: { count: 10 } },
  },
});

/** `--summary-export` shape: a threshold's value `true` means it failed. */
const summaryExport = (failed: boolean) => ({
  metrics: {
    http_req_failed: { fails: 10, passes: 0, value: 0, thresholds: { 'rate<0.01': failed } },
    http_req_duration: { avg: 100, 'p(95)': 300, thresholds: { 'p(95)<500': false } },
  },
});

let dir: string;
let server: TestServer;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-k6-'));
  server = await startHttpServer();
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeSummary(name: string, body: unknown, mtime?: Date): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  if (mtime) fs.utimesSync(file, mtime, mtime);
  return file;
}

const check = (summary: string, maxAgeHours?: number) =>
  checkOne('k6_nightly', { summary, maxAgeHours }, { clock });

describe('k6_nightly gate', () => {
  it('passes on a fresh handleSummary file whose thresholds are ok (age from "timestamp")', async () => {
    const file = writeSummary(
      'fresh.json',
      handleSummary(true, { timestamp: hoursAgo(3).toISOString() }),
      hoursAgo(100),
    );
    expect(stable(await check(file))).toEqual({
      gate: 'k6_nightly',
      state: 'pass',
      detail: 'summary 3h old (max 26h), 2 thresholds passed',
      observed: 3,
    });
  });

  it('fails when a threshold failed, in either summary shape', async () => {
    const a = writeSummary('a.json', handleSummary(false), hoursAgo(1));
    expect(stable(await check(a))).toEqual({
      gate: 'k6_nightly',
      state: 'fail',
      detail: '1 of 2 thresholds failed: http_req_duration p(95)<500',
      observed: 1,
    });
    const b = writeSummary('b.json', summaryExport(true), hoursAgo(1));
    expect(stable(await check(b))).toEqual({
      gate: 'k6_nightly',
      state: 'fail',
      detail: '1 of 2 thresholds failed: http_req_failed rate<0.01',
      observed: 1,
    });
    const c = writeSummary('c.json', summaryExport(false), hoursAgo(1));
    expect((await check(c)).state).toBe('pass');
  });

  it('fails when older than maxAgeHours, by the file mtime when there is no timestamp', async () => {
    const file = writeSummary('old.json', handleSummary(false), hoursAgo(30));
    expect(stable(await check(file))).toEqual({
      gate: 'k6_nightly',
      state: 'fail',
      detail: 'summary is 30h old (max 26h); 1 of 2 thresholds failed: http_req_duration p(95)<500',
      observed: 30,
    });
    expect(
      (await check(writeSummary('ok.json', summaryExport(false), hoursAgo(30)), 48)).state,
    ).toBe('pass');
  });

  it('reads a URL, its age from Last-Modified', async () => {
    server.route('/k6/summary.json', {
      body: summaryExport(false),
      headers: { 'last-modified': hoursAgo(27.5).toUTCString() },
    });
    expect(stable(await check(`${server.url}/k6/summary.json`))).toEqual({
      gate: 'k6_nightly',
      state: 'fail',
      detail: 'summary is 27.5h old (max 26h)',
      observed: 27.5,
    });
    server.route('/k6/summary.json', {
      body: summaryExport(false),
      headers: { 'last-modified': hoursAgo(2).toUTCString() },
    });
    expect((await check(`${server.url}/k6/summary.json`)).state).toBe('pass');
  });

  it('is ⚪ with the reason when it cannot tell', async () => {
    server.route('/k6/no-date.json', { body: summaryExport(false) });
    server.route('/k6/gone.json', { status: 404, body: 'not found' });
    server.route('/k6/hang.json', 'hang');
    const cases: [string, string][] = [
      [
        `${server.url}/k6/no-date.json`,
        'cannot tell the summary\'s age (no "timestamp", no Last-Modified)',
      ],
      [`${server.url}/k6/gone.json`, 'HTTP 404'],
      [path.join(dir, 'missing.json'), `no summary at ${path.join(dir, 'missing.json')}`],
      [
        writeSummary('notjson.json', '{"metrics": '),
        `${path.join(dir, 'notjson.json')} is not JSON`,
      ],
      [writeSummary('other.json', { hello: 'world' }), 'not a k6 summary (no metrics)'],
      [
        writeSummary('baddate.json', { timestamp: 'yesterday', metrics: {} }),
        'the summary\'s "timestamp" is not a date',
      ],
    ];
    for (const [summary, detail] of cases) {
      const result = await check(summary);
      expect({ state: result.state, detail: result.detail }).toEqual({ state: 'unknown', detail });
    }
    const hung = await checkOne(
      'k6_nightly',
      { summary: `${server.url}/k6/hang.json` },
      { clock, timeoutSeconds: 1 },
    );
    expect(hung.detail).toBe('timeout after 1s');
  });
});

describe('k6 summary parsing', () => {
  it('reads both threshold shapes and ignores metrics without thresholds', () => {
    expect(readThresholds(handleSummary(false))).toEqual({
      total: 2,
      failed: ['http_req_duration p(95)<500'],
    });
    expect(readThresholds(summaryExport(true))).toEqual({
      total: 2,
      failed: ['http_req_failed rate<0.01'],
    });
    expect(readThresholds({ metrics: {} })).toEqual({ total: 0, failed: [] });
    expect(readThresholds({ root_group: {} })).toBeUndefined();
  });

  it('takes the timestamp as ISO text or epoch seconds or milliseconds', () => {
    const at = new Date('2026-05-01T12:00:00Z');
    expect(summaryTimestamp({ timestamp: at.toISOString() })).toEqual(at);
    expect(summaryTimestamp({ timestamp: at.getTime() / 1000 })).toEqual(at);
    expect(summaryTimestamp({ timestamp: at.getTime() })).toEqual(at);
    expect(summaryTimestamp({})).toBeUndefined();
    expect(summaryTimestamp({ timestamp: 'soon' })).toBeNull();
  });
});
