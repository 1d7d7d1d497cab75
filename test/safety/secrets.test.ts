import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import { githubSearch, refusedUrl, sentryIssues, statusPage } from '../helpers/http.js';
import { bin } from '../helpers/paths.js';
import { senderEnv, writeCohort } from '../helpers/render.js';
import { findLeaks, leaksInFiles, secretForms } from './helpers/leaks.js';
import { useHttpServer, useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';

// Each secret has a core no other text contains, and characters that must be encoded in a URL.
const DB_PASS = 'db-7Hq2@canary';
const SMTP_PASS = 'smtp-9Wm4:canary';
const OLD_SMTP_PASS = 'smtp-9Wm4:canary-old';
const SENTRY_TOKEN = 'sntrys_canary_3Rt8';
const GITHUB_TOKEN = 'ghp_canary_5Lp1';
const FORMS = [
  ...secretForms(DB_PASS, '7Hq2'),
  ...secretForms(SMTP_PASS, '9Wm4'),
  ...secretForms(OLD_SMTP_PASS, '9Wm4'),
  ...secretForms(SENTRY_TOKEN, '3Rt8'),
  ...secretForms(GITHUB_TOKEN, '5Lp1'),
];

const db = useTestDatabase();
const sink = useSmtpSink({ users: { beta: SMTP_PASS } });
const http = useHttpServer();
/** Where nothing listens: the database and the relay are "down". */
let closedPort: string;
/** A folder outside the home, for what the --on-change hook sees. */
let hookDir: string;
const runs: { args: string[]; result: CliResult }[] = [];

function withPassword(url: string, pass: string): string {
  const u = new URL(url);
  u.username ||= 'postgres';
  u.password = encodeURIComponent(pass);
  return u.toString();
}

/** Every secret in the environment; the database's URL carries the password (server case). */
function secretEnv(): Record<string, string> {
  return {
    ...senderEnv,
    ...(db.url ? { DATABASE_URL: withPassword(db.url, DB_PASS) } : {}),
    SMTP_URL: sinkUrl(SMTP_PASS),
    SENTRY_TOKEN,
    GITHUB_TOKEN,
  };
}

function sinkUrl(pass: string): string {
  return sink.url({ user: 'beta', pass });
}

/** The database (or relay) down: a closed port, the password still in the URL. */
function downEnv(): Record<string, string> {
  return {
    ...secretEnv(),
    DATABASE_URL: `postgres://beta:${encodeURIComponent(DB_PASS)}@127.0.0.1:${closedPort}/launch`,
  };
}

/** The last `n` runs, for a failed assertion's message. */
function lastRuns(n: number): string {
  return runs
    .slice(-n)
    .map(({ args, result }) => `${args.join(' ')} → ${result.exitCode}: ${result.stderr}`)
    .join('\n');
}

async function bi(args: string[], env = secretEnv()): Promise<CliResult> {
  const result = await runCli(args, { db, env });
  runs.push({ args, result });
  return result;
}

function writeMonitorConfig(name: string, base: string): void {
  const gates = {
    signups: { min: 0 },
    sentry: { baseUrl: base, org: 'acme', project: '1' },
    status_page: { url: `${base}/status.json` },
    synthetic: { steps: [{ name: 'home', url: `${base}/`, expectText: 'Bienvenue' }] },
    k6_nightly: { summary: 'k6.json' },
    high_issues: {
      apiUrl: base,
      repo: 'acme/app',
      label: 'severity:high',
      tokenEnv: 'GITHUB_TOKEN',
    },
  };
  fs.writeFileSync(path.join(db.home, name), JSON.stringify({ timeoutSeconds: 2, gates }));
}

beforeAll(async () => {
  sink.answer('person3@example.org', [550]);
  http.route('/api/0/organizations/acme/issues/', sentryIssues(0));
  http.route('/status.json', statusPage('none'));
  http.route('/search/issues', githubSearch(0));
  http.route('/', { body: 'Bienvenue' });
  fs.writeFileSync(
    path.join(db.home, 'k6.json'),
    JSON.stringify({ timestamp: new Date().toISOString(), metrics: {} }),
  );
  closedPort = new URL(await refusedUrl()).port;
  hookDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-hook-'));
  writeCohort(db.home, 60);
  writeMonitorConfig('monitor.json', http.url);
  writeMonitorConfig('monitor-down.json', `http://127.0.0.1:${closedPort}`);
});
afterAll(() => {
  fs.rmSync(hookDir, { recursive: true, force: true });
});

// Dozens of runs of the real binary: slow on a busy machine.
describe('secrets never appear in output or files', { timeout: 600_000 }, () => {
  it('through every command, on the success paths', async () => {
    const codes = [
      (await bi(['migrate', '--json'])).exitCode,
      (await bi(['validate-cohort', 'cohort.csv', '--check-users', '--format', 'github'])).exitCode,
      (await bi(['render', 'cohort.csv', '--out', 'out', '--debug'])).exitCode,
      (await bi(['render', 'cohort.csv', '--out', 'out', '--json'])).exitCode,
      (await bi(['render', 'cohort.csv', '--out', 'preview', '--dry-run'])).exitCode,
      (await bi(['send', 'out'])).exitCode,
      (await bi(['send', 'out', '--smtp', sinkUrl(SMTP_PASS)])).exitCode,
      (await bi(['send', 'out', '--confirm', '--debug'])).exitCode,
      (await bi(['send', 'out', '--confirm', '--json'])).exitCode,
      (await bi(['monitor', '--config', 'monitor.json'])).exitCode,
      (await bi(['monitor', '--config', 'monitor.json', '--json'])).exitCode,
      (await bi(['report', '--format', 'csv'])).exitCode,
      (await bi(['show', 'person1@example.org', '--out', 'out'])).exitCode,
      (await bi(['revoke', 'person2@example.org', '--reason', 'asked', '--json'])).exitCode,
      (await bi(['sweep', '--json'])).exitCode,
      (await bi(['preflight', 'cohort.csv', '--out', 'out2', '--config', 'monitor.json'])).exitCode,
      (await bi(['preflight', 'cohort.csv', '--config', 'monitor.json', '--json'])).exitCode,
    ];
    // person3 is refused (550): send exits 2 and the rerun retries only that one (exit 1).
    expect(codes, lastRuns(codes.length)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    // The tokens were really used (and so could have leaked).
    const auth = http.requests.map((r) => r.headers.authorization);
    expect(auth).toContain(`Bearer ${SENTRY_TOKEN}`);
    expect(auth).toContain(`Bearer ${GITHUB_TOKEN}`);
    expect(sink.receivedBy('person0@example.org')[0]?.user).toBe('beta');
    expect(fs.readFileSync(path.join(db.home, 'out', 'send-failed.jsonl'), 'utf8')).toContain(
      'person3@example.org',
    );
  });

  it('through every command, on the failure paths (with --debug and --json)', async () => {
    const down = downEnv();
    const codes = [
      (await bi(['migrate', '--debug'], down)).exitCode,
      (await bi(['migrate', '--status', '--json'], down)).exitCode,
      (await bi(['validate-cohort', 'cohort.csv', '--check-users', '--debug'], down)).exitCode,
      (await bi(['render', 'cohort.csv', '--out', 'out3', '--debug'], down)).exitCode,
      (await bi(['send', 'out', '--confirm', '--debug'], down)).exitCode,
      (await bi(['report', '--json', '--debug'], down)).exitCode,
      (await bi(['show', 'person1@example.org', '--debug'], down)).exitCode,
      (await bi(['revoke', 'person1@example.org', '--debug'], down)).exitCode,
      (await bi(['sweep', '--json', '--debug'], down)).exitCode,
      (await bi(['monitor', '--config', 'monitor-down.json', '--json', '--debug'], down)).exitCode,
      (await bi(['preflight', 'cohort.csv', '--config', 'monitor-down.json', '--debug'], down))
        .exitCode,
    ];
    expect(codes, lastRuns(codes.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1]);
    for (const { result } of runs.slice(-codes.length).filter((r) => r.result.exitCode === 1)) {
      expect(result.stdout + result.stderr).toContain(
        `cannot connect to the database at 127.0.0.1:${closedPort}`,
      );
    }
  });

  it('in the stack trace of an unexpected error (--debug)', async () => {
    // A column renamed under the tool's feet: an error no message was written for.
    const sql = await db.sql();
    await sql`alter table public.beta_invites rename column cohort to cohort_renamed`;
    try {
      const result = await bi(['report', '--debug']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^beta-invites: unexpected error: .*cohort/m);
      expect(result.stderr).toMatch(/^\s+at /m);
    } finally {
      await (await db.sql())`alter table public.beta_invites rename column cohort_renamed to cohort`;
    }
  });

  it('when the relay refuses the login, or is down, whatever the flags', async () => {
    const old = { ...secretEnv(), SMTP_URL: sinkUrl(OLD_SMTP_PASS) };
    const refused = {
      ...secretEnv(),
      SMTP_URL: `smtp://beta:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${closedPort}`,
    };
    sink.answer('person3@example.org', [250]);
    const codes = [
      (await bi(['send', 'out', '--confirm', '--debug'], old)).exitCode,
      (await bi(['send', 'out', '--confirm', '--json'], old)).exitCode,
      (await bi(['send', 'out', '--confirm', '--smtp', sinkUrl(OLD_SMTP_PASS)])).exitCode,
      (await bi(['send', 'out', '--confirm', '--debug'], refused)).exitCode,
      (await bi(['preflight', 'cohort.csv', '--config', 'monitor.json', '--json'], old)).exitCode,
    ];
    expect(codes, lastRuns(codes.length)).toEqual([1, 1, 1, 1, 1]);
    expect(sink.receivedBy('person3@example.org')).toHaveLength(0);
  });

  it('the --on-change hook does not get the gates’ tokens', async () => {
    let checks = 0;
    http.route('/status.json', () => statusPage(++checks === 1 ? 'none' : 'major'));
    const dump = path.join(hookDir, 'env.json');
    const hook = path.join(hookDir, 'hook.cjs');
    fs.writeFileSync(
      hook,
      `require('fs').writeFileSync(process.argv[2], JSON.stringify(process.env));`,
    );
    const child = execa(
      process.execPath,
      [
        ...[bin, 'monitor', '--config', 'monitor.json', '--only', 'sentry,status_page'],
        ...['--watch', '--interval', '1', '--on-change', `"${process.execPath}" ${hook} ${dump}`],
      ],
      {
        cwd: db.home,
        env: cleanEnv({ ...db.env, ...secretEnv() }),
        extendEnv: false,
        reject: false,
      },
    );
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(dump) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGTERM');
    const result = await child;
    runs.push({ args: ['monitor', '--watch'], result: result as unknown as CliResult });
    const seen = JSON.parse(fs.readFileSync(dump, 'utf8')) as Record<string, string>;
    expect(seen).toMatchObject({ VERDICT: 'NO-GO', PREVIOUS_VERDICT: 'GO' });
    expect(Object.keys(seen).filter((k) => k.endsWith('_TOKEN'))).toEqual([]);
    expect(findLeaks(JSON.stringify(seen), secretForms(SENTRY_TOKEN, '3Rt8'))).toEqual([]);
    expect(findLeaks(JSON.stringify(seen), secretForms(GITHUB_TOKEN, '5Lp1'))).toEqual([]);
  });

  it('in no stdout, no stderr, and no file written (output folders, home, ledgers)', () => {
    expect(runs.length).toBeGreaterThan(30);
    const leaks = runs.flatMap(({ args, result }) =>
      findLeaks(`${result.stdout}\n${result.stderr}`, FORMS).map((f) => `${args.join(' ')}: ${f}`),
    );
    expect(leaks).toEqual([]);
    const written = leaksInFiles(db.home, FORMS, [path.join(db.home, 'db')]);
    expect(written).toEqual([]);
    // The walk did see what the runs wrote.
    expect(fs.readdirSync(path.join(db.home, 'out'))).toEqual(
      expect.arrayContaining(['manifest.jsonl', 'sent.jsonl', 'send-failed.jsonl']),
    );
  });
});
