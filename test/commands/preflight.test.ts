import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/database.js';
import { refusedUrl } from '../helpers/http.js';
import { fixture } from '../helpers/paths.js';
import { senderEnv, writeCohort } from '../helpers/render.js';
import { useHttpServer, useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();
const http = useHttpServer();
/** A real relay that accepts one login: verify() must greet, EHLO and authenticate. */
const smtp = useSmtpSink({ users: { ops: 'relay-secret' } });
let smtpUrl: string;
let cohort: string;

function writeConfig(name: string, gates: Record<string, unknown>): string {
  const file = path.join(db.home, name);
  fs.writeFileSync(file, JSON.stringify({ timeoutSeconds: 5, gates }));
  return name;
}

beforeAll(() => {
  http.route('/api/0/organizations/acme/issues/', { body: [] });
  http.route('/status.json', { body: { status: { indicator: 'none', description: 'All good' } } });
  http.route('/home', { body: 'Bienvenue sur la bêta' });
  http.route('/search/issues', { body: { total_count: 0, incomplete_results: false } });
  smtpUrl = smtp.url({ user: 'ops', pass: 'relay-secret' });
  cohort = writeCohort(db.home, 60);
  fs.writeFileSync(
    path.join(db.home, 'k6.json'),
    JSON.stringify({
      timestamp: new Date().toISOString(),
      metrics: { http_req_duration: { thresholds: { 'p(95)<500': { ok: true } } } },
    }),
  );
  writeConfig('beta-invites.monitor.json', {
    signups: { min: 0 },
    sentry: { baseUrl: http.url, org: 'acme', project: '1', tokenEnv: 'SENTRY_TOKEN', max: 0 },
    status_page: { url: `${http.url}/status.json` },
    synthetic: { steps: [{ name: 'home', url: `${http.url}/home`, expectText: 'Bienvenue' }] },
    k6_nightly: { summary: 'k6.json' },
    high_issues: {
      apiUrl: http.url,
      repo: 'acme/app',
      label: 'severity:high',
      tokenEnv: 'GH_TOKEN',
    },
  });
});

const env = { ...senderEnv, SENTRY_TOKEN: 'sentry-token', GH_TOKEN: 'gh-token' };

function preflight(args: string[], extra: Record<string, string | undefined> = {}) {
  return runCli(['preflight', cohort, ...args], { db, env: { ...env, ...extra } });
}

/** The checklist without what varies between runs and databases. */
function stable(run: CliResult): string {
  const port = String(smtp.port);
  return (
    normalize(run.stdout, { [db.home]: 'HOME', [http.url]: 'HTTP', [`:${port}`]: ':SMTP' })
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'DATE')
      .replace(/^(✅ database +).*$/m, '$1DATABASE')
      // Names the embedded database (permitted here) or the server: it differs between the two.
      .replace(/^(✅ send database +).*$/m, '$1SEND DATABASE')
      .replace('the embedded stand-in public.users', 'public.users')
      .replace(/\(gate passing now: k6 summary .*\)/, '(gate passing now: K6)')
      .replace(/ \d+ ms\b/g, ' N ms')
  );
}

/** Only the checklist lines (what the reminders and verdict do not repeat). */
const lines = (run: CliResult, ...titles: string[]) =>
  stable(run)
    .split('\n')
    .filter((l) => titles.some((t) => l.slice(2).trimStart().startsWith(t)));

describe('preflight', () => {
  it('says GO (exit 0) when every check passes, and lists what is left to do by hand', async () => {
    const run = await preflight(['--out', 'out', '--smtp', smtpUrl]);
    expect(stable(run)).toMatchInlineSnapshot(`
    "Preflight of HOME/cohort.csv (T-72h checklist), DATE:

    ✅ database             DATABASE
    ✅ migrations           8 applied, none pending
    ✅ users table          public.users is present
    ✅ send database        SEND DATABASE
    ✅ cohort               60 recipient(s), 4 label(s), 30 creator row(s)
    ✅ templates            "Votre invitation à la bêta" from L'équipe bêta <beta@example.org>, links https://beta.example.org/inscription?code=ABCDEFGHJKMNPQRS and https://forms.example.org/retours
    ✅ output folder        out/ can be created
    ✅ send transport       smtp://ops:***@127.0.0.1:SMTP answered and accepted the session (from --smtp)
    ✅ monitor config       beta-invites.monitor.json is valid: 6 of 6 gates configured, 5s timeout each
    ✅ monitor signups      answers (gate passing now: 0 redeemed invites (min 0))
    ✅ monitor sentry       answers (gate passing now: 0 issues in 24h matching "is:unresolved issue.priority:high" (max 0))
    ✅ monitor status_page  answers (gate passing now: operational: All good)
    ✅ monitor synthetic    answers (gate passing now: 1/1 steps passed)
    ✅ monitor k6_nightly   answers (gate passing now: summary 0h old (max 26h), 1 threshold passed)
    ✅ monitor high_issues  answers (gate passing now: 0 open "severity:high" issues in acme/app (max 0))

    GO: all 15 checks pass.

    Still to do by hand:
      ☐ build the cohort CSV from real, consenting sources (preflight checks its form, not its people)
      ☐ create the feedback form and put its URL in --feedback-url / INVITE_FEEDBACK_URL
      ☐ configure the transport credentials (msmtp account or SMTP user) and send yourself one test message
      ☐ render, then open a few .eml files in a mail client before beta-invites send --confirm
      ☐ show up at 18:00 UTC for the decision call, with beta-invites monitor running"
  `);
    expect(run.exitCode).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('relay-secret');
    expect(fs.existsSync(path.join(db.home, 'out'))).toBe(false);
  });

  it('prints one JSON document with --json', async () => {
    const run = await preflight(['--json', '--send-cmd', process.execPath]);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as {
      verdict: string;
      items: { id: string; state: string }[];
      reminders: string[];
    };
    expect(result.verdict).toBe('GO');
    expect(result.items.map((i) => `${i.id} ${i.state}`)).toEqual([
      'database pass',
      'migrations pass',
      'users pass',
      'send-database pass',
      'cohort pass',
      'templates pass',
      'transport pass',
      'monitor pass',
      'gate:signups pass',
      'gate:sentry pass',
      'gate:status_page pass',
      'gate:synthetic pass',
      'gate:k6_nightly pass',
      'gate:high_issues pass',
    ]);
    expect(result.reminders.some((r) => r.includes('18:00 UTC'))).toBe(true);
  });

  it('says NO-GO (exit 1) and why, line by line, when checks fail', async () => {
    const closed = (await refusedUrl()).replace('http://', 'smtp://ops:relay-secret@');
    const run = await runCli(
      ['preflight', fixture('malformed-emails.csv'), '--smtp', closed, '--config', 'missing.json'],
      { db, env: { ...env, INVITE_FEEDBACK_URL: 'https://forms.example.org/TODO' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout + run.stderr).not.toContain('relay-secret');
    const shown = normalize(run.stdout, { [path.dirname(fixture('x'))]: 'FIXTURES' })
      .split('\n')
      .filter((l) => l.startsWith('🔴') || l.startsWith('NO-GO'))
      .map((l) => l.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:PORT'));
    expect(shown).toMatchInlineSnapshot(`
      [
        "🔴 cohort          email syntax: 17 malformed emails — beta-invites validate-cohort FIXTURES/malformed-emails.csv lists every row",
        "🔴 templates       the feedback URL "https://forms.example.org/TODO" is still a placeholder — put the real URL in --feedback-url or INVITE_FEEDBACK_URL",
        "🔴 send transport  cannot connect to the SMTP server at 127.0.0.1:PORT: connection refused — check that the relay is up and that --smtp / SMTP_URL is right",
        "🔴 monitor config  monitor config not found: missing.json — copy beta-invites.monitor.example.json to beta-invites.monitor.json and edit it, or pass --config FILE",
        "NO-GO: fix cohort, templates, send transport, monitor config, then run preflight again.",
      ]
    `);
  });

  it('says INCOMPLETE (exit 2) when gates are left out of the config', async () => {
    writeConfig('partial.json', { status_page: { url: `${http.url}/status.json` } });
    const run = await preflight(['--config', 'partial.json', '--send-cmd', process.execPath]);
    expect(run.exitCode).toBe(2);
    expect(lines(run, 'monitor', 'INCOMPLETE')).toMatchInlineSnapshot(`
      [
        "✅ monitor config       partial.json is valid: 1 of 6 gates configured, 5s timeout each",
        "⚪ monitor signups      not configured in partial.json",
        "⚪ monitor sentry       not configured in partial.json",
        "✅ monitor status_page  answers (gate passing now: operational: All good)",
        "⚪ monitor synthetic    not configured in partial.json",
        "⚪ monitor k6_nightly   not configured in partial.json",
        "⚪ monitor high_issues  not configured in partial.json",
      ]
    `);
  });

  it('reports a send command that is not on PATH, and a source that refuses the token', async () => {
    http.route('/search/issues', { status: 401, body: { message: 'Bad credentials' } });
    try {
      const run = await preflight(['--send-cmd', 'no-such-sendmail -t']);
      expect(run.exitCode).toBe(1);
      expect(lines(run, 'send transport', 'monitor high_issues')).toMatchInlineSnapshot(`
        [
          "🔴 send transport       the send command "no-such-sendmail" was not found on PATH — install it (e.g. apt-get install msmtp), or pass --send-cmd / SEND_CMD, or use --smtp URL",
          "🔴 monitor high_issues  does not answer: HTTP 401",
        ]
      `);
    } finally {
      http.route('/search/issues', { body: { total_count: 0, incomplete_results: false } });
    }
  });

  it('refuses --smtp with --send-cmd (64)', async () => {
    const run = await preflight(['--smtp', smtpUrl, '--send-cmd', 'msmtp']);
    expect([run.exitCode, run.stdout, run.stderr]).toMatchInlineSnapshot(`
      [
        64,
        "",
        "beta-invites: --smtp and --send-cmd cannot be used together
        choose one transport",
      ]
    `);
  });
});

describe.runIf(dbKind === 'server')('preflight on a server that is not ready', () => {
  let bare: TestDatabase;
  beforeAll(async () => {
    bare = await createTestDatabase({ users: false });
  });
  afterAll(async () => {
    await bare.drop();
  });

  it('reports missing migrations and users, and applies nothing', async () => {
    const run = await runCli(['preflight', cohort, '--send-cmd', process.execPath], {
      db: bare,
      env,
      cwd: db.home,
    });
    expect(run.exitCode).toBe(1);
    expect(lines(run, 'migrations', 'users')).toMatchInlineSnapshot(`
      [
        "🔴 migrations           8 pending: 990_beta_invites.sql, 991_beta_invites_sent_at.sql, 992_beta_invites_email_lookup.sql, … — run beta-invites migrate (preflight applies nothing)",
        "🔴 users table          public.users is missing — beta_invites.sent_by references it: run the host application's migrations first",
      ]
    `);
    const sql = await bare.sql();
    const [row] = await sql<{ tables: string | null; invites: string | null }[]>`
      select to_regclass('public.beta_invites_schema_migrations')::text as tables,
             to_regclass('public.beta_invites')::text as invites`;
    expect(row).toEqual({ tables: null, invites: null });
  });
});
