import { getEventListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorConfig, type MonitorConfig } from '../../../src/core/monitor/config.js';
import { checkGates } from '../../../src/core/monitor/cycle.js';
import { runGates } from '../../../src/core/monitor/run-gates.js';
import { GATE_NAMES } from '../../../src/core/gates/types.js';
import { githubSearch, sentryIssues, statusPage } from '../../helpers/http.js';
import { sqlSource } from '../gates/check.js';
import { useHttpServer, useTestDatabase } from '../../helpers/fixtures.js';

const server = useHttpServer();
const db = useTestDatabase();
let dir: string;
let summary: string;
const env = { SENTRY_TOKEN: 's', GITHUB_TOKEN: 'g' };

beforeAll(async () => {
  const sql = await db.sql();
  await sql`insert into public.beta_invites (code, email, cohort, used_at)
            values ('BBBBBBBBBBBBBBB2', 'a@example.com', 'creator-a', now())`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-cycle-'));
  summary = path.join(dir, 'summary.json');
  fs.writeFileSync(
    summary,
    JSON.stringify({ metrics: { checks: { thresholds: { 'rate>0.99': { ok: true } } } } }),
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every source healthy. */
function healthy(): void {
  server.route('/api/0/organizations/acme/issues/', sentryIssues(0));
  server.route('/status.json', statusPage('none'));
  server.route('/', { body: 'Bienvenue' });
  server.route('/search/issues', githubSearch(0));
}

// Generous by default: on a loaded machine a healthy local source can take a second.
function allSix(timeoutSeconds = 10): MonitorConfig {
  return monitorConfig.parse({
    timeoutSeconds,
    gates: {
      signups: { min: 1 },
      sentry: { baseUrl: server.url, org: 'acme', project: '1' },
      status_page: { url: `${server.url}/status.json` },
      synthetic: { steps: [{ name: 'home', url: `${server.url}/`, expectText: 'Bienvenue' }] },
      k6_nightly: { summary, maxAgeHours: 1 },
      high_issues: {
        apiUrl: server.url,
        repo: 'acme/app',
        label: 'sev:high',
        tokenEnv: 'GITHUB_TOKEN',
      },
    },
  });
}

const deps = (signal = new AbortController().signal) => ({
  signal,
  env,
  clock: () => new Date(),
  database: sqlSource(() => db.sql()),
});

const states = (gates: { gate: string; state: string }[]) =>
  Object.fromEntries(gates.map((g) => [g.gate, g.state]));

describe('checkGates', () => {
  it('is GO when all six gates pass, reporting them in the fixed order', async () => {
    healthy();
    const report = await checkGates(allSix(), GATE_NAMES, deps());
    expect(report.gates.filter((g) => g.state !== 'pass')).toEqual([]);
    expect(report.verdict).toBe('GO');
    expect(report.gates.map((g) => g.gate)).toEqual([...GATE_NAMES]);
    expect(report.gates.every((g) => g.state === 'pass')).toBe(true);
    expect(Number.isNaN(Date.parse(report.checkedAt))).toBe(false);
  });

  it('turns a source that never answers ⚪ at its timeout while the other gates still report', async () => {
    healthy();
    server.route('/status.json', 'hang');
    const report = await checkGates(allSix(3), GATE_NAMES, deps());
    const hung = report.gates.find((g) => g.gate === 'status_page');
    expect(hung).toMatchObject({ state: 'unknown', detail: 'timeout after 3s', observed: null });
    // It waited for its own timeout, not for the server (which never answers).
    expect(hung?.durationMs).toBeGreaterThanOrEqual(2990);
    expect(hung?.durationMs).toBeLessThan(10_000);
    expect(states(report.gates)).toEqual({
      signups: 'pass',
      sentry: 'pass',
      status_page: 'unknown',
      synthetic: 'pass',
      k6_nightly: 'pass',
      high_issues: 'pass',
    });
    expect(report.verdict).toBe('INCOMPLETE');
  });

  it('is NO-GO when any gate fails, even with others ⚪', async () => {
    healthy();
    server.route('/status.json', { status: 401, body: {} });
    server.route('/search/issues', githubSearch(4));
    const report = await checkGates(allSix(), GATE_NAMES, deps());
    expect(states(report.gates)).toMatchObject({ status_page: 'unknown', high_issues: 'fail' });
    expect(report.verdict).toBe('NO-GO');
  });

  it('shows a gate missing from the config as ⚪ "not configured", and checks only the selection', async () => {
    healthy();
    const only = monitorConfig.parse({
      gates: { status_page: { url: `${server.url}/status.json` } },
    });
    const report = await checkGates(only, GATE_NAMES, {
      ...deps(),
      database: sqlSource(() => Promise.reject(new Error('must not be opened'))),
    });
    expect(report.gates.map((g) => [g.gate, g.state, g.detail])).toEqual([
      ['signups', 'unknown', 'not configured'],
      ['sentry', 'unknown', 'not configured'],
      ['status_page', 'pass', 'operational: All Systems Operational'],
      ['synthetic', 'unknown', 'not configured'],
      ['k6_nightly', 'unknown', 'not configured'],
      ['high_issues', 'unknown', 'not configured'],
    ]);
    const subset = await checkGates(allSix(), ['sentry', 'high_issues'], deps());
    expect(subset.gates.map((g) => g.gate)).toEqual(['sentry', 'high_issues']);
    expect(subset.verdict).toBe('GO');
  });

  it('returns at once when stopped mid-check, the running gates ⚪ "interrupted"', async () => {
    healthy();
    server.route('/status.json', 'hang');
    const stop = new AbortController();
    const pending = checkGates(allSix(30), ['status_page', 'sentry'], deps(stop.signal));
    setTimeout(() => stop.abort(new Error('SIGTERM')), 300);
    const report = await pending;
    expect(report.gates.map((g) => [g.gate, g.state, g.detail])).toEqual([
      ['status_page', 'unknown', 'interrupted'],
      ['sentry', 'pass', '0 issues in 24h matching "is:unresolved issue.priority:high" (max 0)'],
    ]);
  });

  it('leaves nothing attached to the long-lived stop signal, cycle after cycle', async () => {
    healthy();
    const stop = new AbortController();
    const config = allSix();
    for (let i = 0; i < 200; i++) {
      await checkGates(config, ['status_page', 'k6_nightly', 'synthetic'], deps(stop.signal));
    }
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});

describe('runGates', () => {
  it('turns a gate that throws unexpectedly into ⚪ without touching the others', async () => {
    const results = await runGates(
      [
        {
          gate: 'sentry',
          check: () =>
            Promise.reject(new TypeError("Cannot read properties of undefined (reading 'x')")),
        },
        {
          gate: 'signups',
          check: () => Promise.resolve({ state: 'pass', detail: 'fine', observed: 1 }),
        },
      ],
      { signal: new AbortController().signal, env: {}, clock: () => new Date(), timeoutMs: 1000 },
    );
    expect(results.map((r) => [r.gate, r.state, r.detail])).toEqual([
      ['sentry', 'unknown', "unexpected error: Cannot read properties of undefined (reading 'x')"],
      ['signups', 'pass', 'fine'],
    ]);
  });
});
