import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { githubSearch, refusedUrl, sentryIssues, statusPage } from '../helpers/http.js';
import { useHttpServer, useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();
const server = useHttpServer();
const SECRET = 'sntrys_do_not_print_me';
const env = { SENTRY_TOKEN: SECRET, GITHUB_TOKEN: 'ghp_do_not_print_me_either' };

beforeAll(async () => {
  const sql = await db.sql();
  await sql`insert into public.beta_invites (code, email, cohort, used_at) values
    ('CCCCCCCCCCCCCCC2', 'a@example.com', 'creator-a', now()),
    ('CCCCCCCCCCCCCCC3', 'b@example.com', 'creator-a', now()),
    ('CCCCCCCCCCCCCCC4', 'c@example.com', 'listener-b', null)`;
  fs.writeFileSync(
    path.join(db.home, 'k6.json'),
    JSON.stringify({
      timestamp: new Date().toISOString(),
      metrics: { checks: { thresholds: { 'rate>0.99': { ok: true } } } },
    }),
  );
});

function healthy(): void {
  server.route('/api/0/organizations/acme/issues/', sentryIssues(0));
  server.route('/status.json', statusPage('none'));
  server.route('/', { body: 'Bienvenue' });
  server.route('/search/issues', githubSearch(0));
}

/** Writes a config into the database's home (the binary's working directory). */
function config(name: string, gates: Record<string, unknown>, timeoutSeconds = 10): string {
  fs.writeFileSync(path.join(db.home, name), JSON.stringify({ timeoutSeconds, gates }, null, 2));
  return name;
}

function allSix(): Record<string, unknown> {
  return {
    signups: { min: 2 },
    sentry: { baseUrl: server.url, org: 'acme', project: '1' },
    status_page: { url: `${server.url}/status.json` },
    synthetic: { steps: [{ name: 'home', url: `${server.url}/`, expectText: 'Bienvenue' }] },
    k6_nightly: { summary: 'k6.json' },
    high_issues: {
      apiUrl: server.url,
      repo: 'acme/app',
      label: 'severity:high',
      tokenEnv: 'GITHUB_TOKEN',
    },
  };
}

const monitor = (args: string[], extra: Record<string, string | undefined> = {}) =>
  runCli(['monitor', ...args], { db, env: { ...env, ...extra } });

function scrub(text: string): string {
  return text
    .replaceAll(server.url, 'http://SERVER')
    .replaceAll(db.home, 'HOME')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'DATE UTC')
    .replace(/^using embedded database.*\n/m, '');
}

describe('monitor (one check)', () => {
  it('exits 0 on GO; --json prints { verdict, checkedAt, gates } and nothing else', async () => {
    healthy();
    config('go.json', allSix());
    const run = await monitor(['--config', 'go.json', '--json']);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown> & {
      gates: Record<string, unknown>[];
    };
    expect(Object.keys(doc)).toEqual(['verdict', 'checkedAt', 'gates']);
    expect(doc.verdict).toBe('GO');
    expect(new Date(doc.checkedAt as string).toISOString()).toBe(doc.checkedAt);
    for (const g of doc.gates)
      expect(Object.keys(g)).toEqual(['gate', 'state', 'detail', 'observed', 'durationMs']);
    expect(doc.gates.map((g) => [g.gate, g.state, g.observed])).toEqual([
      ['signups', 'pass', 2],
      ['sentry', 'pass', 0],
      ['status_page', 'pass', 'none'],
      ['synthetic', 'pass', 1],
      ['k6_nightly', 'pass', 0],
      ['high_issues', 'pass', 0],
    ]);
  });

  it('exits 1 on NO-GO and prints each gate with its detail', async () => {
    healthy();
    server.route('/status.json', statusPage('major', 'Partial System Outage'));
    server.route('/api/0/organizations/acme/issues/', {
      status: 401,
      body: { detail: 'Invalid token' },
    });
    config('nogo.json', allSix());
    const run = await monitor(['--config', 'nogo.json']);
    expect(run.exitCode).toBe(1);
    expect(scrub(run.stdout)).toMatchInlineSnapshot(`
      "Launch gates, checked DATE UTC
        ✅ signups      2 redeemed invites (min 2)
        ⚪ sentry       HTTP 401
        🔴 status_page  major: Partial System Outage
        ✅ synthetic    1/1 steps passed
        ✅ k6_nightly   summary 0h old (max 26h), 1 threshold passed
        ✅ high_issues  0 open "severity:high" issues in acme/app (max 0)

      NO-GO: 4 pass, 1 fail, 1 unknown"
    `);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('exits 2 on INCOMPLETE: a gate missing from the config, a token not set', async () => {
    healthy();
    config('partial.json', { status_page: allSix().status_page, sentry: allSix().sentry });
    const run = await monitor(['--config', 'partial.json', '--json'], { SENTRY_TOKEN: undefined });
    expect(run.exitCode).toBe(2);
    const doc = JSON.parse(run.stdout) as {
      verdict: string;
      gates: { gate: string; state: string; detail: string }[];
    };
    expect(doc.verdict).toBe('INCOMPLETE');
    expect(doc.gates.map((g) => `${g.gate} ${g.state} ${g.detail}`)).toEqual([
      'signups unknown not configured',
      'sentry unknown SENTRY_TOKEN not set',
      'status_page pass operational: All Systems Operational',
      'synthetic unknown not configured',
      'k6_nightly unknown not configured',
      'high_issues unknown not configured',
    ]);
  });

  it('--only checks a subset, and the verdict is theirs', async () => {
    healthy();
    server.route('/search/issues', githubSearch(9));
    config('only.json', allSix());
    const run = await monitor(['--config', 'only.json', '--only', 'sentry, status_page', '--json']);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as { gates: { gate: string }[] };
    expect(doc.gates.map((g) => g.gate)).toEqual(['sentry', 'status_page']);
  });

  it('reads the default ./beta-invites.monitor.json', async () => {
    healthy();
    config('beta-invites.monitor.json', { status_page: allSix().status_page });
    const run = await monitor(['--only', 'status_page']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✅ status_page  operational');
    fs.rmSync(path.join(db.home, 'beta-invites.monitor.json'));
  });
});

describe('monitor: the signups gate on the real database', () => {
  it('counts redeemed invites through the binary', async () => {
    config('signups.json', { signups: { min: 3 } });
    const run = await monitor(['--config', 'signups.json', '--only', 'signups', '--json']);
    expect(run.exitCode).toBe(1);
    expect((JSON.parse(run.stdout) as { gates: unknown[] }).gates).toMatchObject([
      { gate: 'signups', state: 'fail', detail: '2 redeemed invites (min 3)', observed: 2 },
    ]);
  });

  it('is ⚪ with the reason, not a crash, when the database cannot be used', async () => {
    config('signups1.json', { signups: { min: 1 } });
    let run;
    let reason: string;
    if (db.kind === 'embedded') {
      // This process holds the embedded directory: the binary finds it busy.
      await db.sql();
      run = await runCli(['monitor', '--config', 'signups1.json', '--only', 'signups'], {
        env: db.env,
        cwd: db.home,
      });
      // After waiting 10 s for this process to let go.
      reason = `the embedded database at ${path.join(db.home, 'db')} is in use by process ${process.pid} (`;
      await db.release();
    } else {
      const port = new URL(await refusedUrl()).port;
      run = await monitor(['--config', 'signups1.json', '--only', 'signups'], {
        DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/launch`,
      });
      reason = `cannot connect to the database at 127.0.0.1:${port}/launch: connection refused`;
      expect(run.stdout + run.stderr).not.toContain('hunter2');
    }
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain(`⚪ signups      ${reason}`);
    expect(run.stdout).toContain('INCOMPLETE: 0 pass, 0 fail, 1 unknown');
  });
});

describe('monitor: bad input', () => {
  it('lists every problem of the config with its path, exit 1', async () => {
    fs.writeFileSync(
      path.join(db.home, 'bad.json'),
      JSON.stringify({
        timeoutSeconds: -1,
        gates: { sentry: { org: 'acme' }, status_page: { url: 'status.json' }, k6: {} },
      }),
    );
    const run = await monitor(['--config', 'bad.json']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(scrub(run.stderr)).toMatchInlineSnapshot(`
      "beta-invites: monitor config bad.json has 4 problems:
        timeoutSeconds: expected a number of seconds > 0
        gates.sentry.project: required
        gates.status_page.url: expected an http:// or https:// URL
        gates.k6: unknown gate (the gates are signups, sentry, status_page, synthetic, k6_nightly, high_issues)
        see beta-invites.monitor.example.json for every key"
    `);
  });

  it('says the config is missing or not JSON, exit 1', async () => {
    const missing = await monitor([]);
    expect(missing.exitCode).toBe(1);
    expect(scrub(missing.stderr)).toMatchInlineSnapshot(`
      "beta-invites: monitor config not found: beta-invites.monitor.json
        copy beta-invites.monitor.example.json to beta-invites.monitor.json and edit it, or pass --config FILE"
    `);
    fs.writeFileSync(
      path.join(db.home, 'broken.json'),
      '{ "gates": { "signups": { "min": 1 } }, }',
    );
    const broken = await monitor(['--config', 'broken.json']);
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toBe(
      'beta-invites: monitor config broken.json is not valid JSON: at line 1, column 41',
    );
  });

  it('refuses bad flags with exit 64', async () => {
    config('flags.json', { status_page: allSix().status_page });
    const cases: [string[], Record<string, string>, string][] = [
      [
        ['--only', 'sentry,signup'],
        {},
        '--only: unknown gate "signup" (the gates are signups, sentry, status_page, synthetic, k6_nightly, high_issues)',
      ],
      [['--on-change', 'notify'], {}, '--on-change only applies with --watch (or LOOP=1)'],
      [['--interval', '5'], {}, '--interval only applies with --watch (or LOOP=1)'],
      [['--watch', '--interval', '0'], {}, '--interval: expected a whole number ≥ 1 (got "0")'],
      [
        ['--watch', '--fail-after', 'two'],
        {},
        '--fail-after: expected a whole number ≥ 1 (got "two")',
      ],
      [['--watch', '--on-change', 'notify "oops'], {}, '--on-change: unterminated double quote'],
      [
        [],
        { LOOP: '1', CHECK_INTERVAL: '5m' },
        'CHECK_INTERVAL: expected a whole number ≥ 1 (got "5m")',
      ],
    ];
    for (const [args, extra, message] of cases) {
      const run = await monitor(['--config', 'flags.json', ...args], extra);
      expect({ args, exitCode: run.exitCode, message: run.stderr.split('\n')[0] }).toEqual({
        args,
        exitCode: 64,
        message: `beta-invites: ${message}`,
      });
    }
  });
});
