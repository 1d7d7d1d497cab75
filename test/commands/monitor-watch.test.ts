import fs from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { statusPage } from '../helpers/http.js';
import { bin } from '../helpers/paths.js';
import { useHttpServer, useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();
const server = useHttpServer();

/** The running binary and what it has printed so far. */
interface Running {
  child: ResultPromise;
  lines(): string[];
  waitFor(predicate: (lines: string[]) => boolean, what: string): Promise<string[]>;
}

function start(args: string[]): Running {
  const child = execa(process.execPath, [bin, 'monitor', ...args], {
    cwd: db.home,
    env: cleanEnv({ ...db.env }),
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const lines = () => text.split('\n').filter(Boolean);
  return {
    child,
    lines,
    waitFor: async (predicate, what) => {
      const end = Date.now() + 90_000;
      while (!predicate(lines())) {
        if (Date.now() > end || child.exitCode !== null)
          throw new Error(`never saw ${what}; got:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return lines();
    },
  };
}

/** Answers the nth request with the nth indicator (the last one forever after). */
function statusSequence(indicators: string[]): void {
  let n = 0;
  server.route('/status.json', () => {
    const indicator = indicators[Math.min(n++, indicators.length - 1)] ?? 'none';
    return statusPage(
      indicator,
      indicator === 'none' ? 'All Systems Operational' : 'Partial outage',
    );
  });
}

function writeConfig(name: string, gates: Record<string, unknown>): string {
  // No source here hangs: a generous timeout keeps a loaded machine from turning one ⚪.
  fs.writeFileSync(path.join(db.home, name), JSON.stringify({ timeoutSeconds: 10, gates }));
  return name;
}

const TS = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`;
const verdicts = (lines: string[]) =>
  lines.filter((l) => / (GO|NO-GO|INCOMPLETE)( \(was [A-Z-]+\))?: /.test(l));

describe('monitor --watch (real binary)', () => {
  it('logs gate changes after damping, runs --on-change on verdict changes, exits cleanly on SIGTERM', async () => {
    // Requests 3 to 5 see an outage: with --fail-after 2 it shows from the 4th check.
    statusSequence(['none', 'none', 'major', 'major', 'major', 'none']);
    server.route('/', { body: 'Bienvenue' });
    const config = writeConfig('watch.json', {
      status_page: { url: `${server.url}/status.json` },
      synthetic: { steps: [{ name: 'home', url: `${server.url}/`, expectText: 'Bienvenue' }] },
    });
    const hookLog = path.join(db.home, 'hook.jsonl');
    const hook = path.join(db.home, 'hook.cjs');
    fs.writeFileSync(
      hook,
      `const { VERDICT, PREVIOUS_VERDICT, SUMMARY } = process.env;
       require('fs').appendFileSync(process.argv[2], JSON.stringify({ VERDICT, PREVIOUS_VERDICT, SUMMARY }) + '\\n');`,
    );
    const run = start([
      '--config',
      config,
      '--only',
      'status_page,synthetic',
      '--watch',
      '--interval',
      '1',
      '--fail-after',
      '2',
      '--on-change',
      `"${process.execPath}" '${hook}' "${hookLog}"`,
    ]);
    const lines = await run.waitFor((l) => verdicts(l).length >= 7, 'seven checks');
    run.child.kill('SIGTERM');
    const result = await run.child;

    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(
      /^monitor stopped \(interrupted by SIGTERM\) after \d+ checks; last verdict GO$/m,
    );
    const pattern = (s: string) => new RegExp(`^${TS} ${s}$`);
    const log = lines.slice(0, 11);
    expect(log[0]).toMatch(pattern('status_page  ✅ operational: All Systems Operational'));
    expect(log[1]).toMatch(pattern('synthetic    ✅ 1/1 steps passed'));
    expect(log.slice(2)).toEqual([
      expect.stringMatching(pattern('GO: 2 pass, 0 fail, 0 unknown')),
      expect.stringMatching(pattern('GO: 2 pass, 0 fail, 0 unknown')),
      // Check 3 saw the outage once: still ✅ (damped).
      expect.stringMatching(pattern('GO: 2 pass, 0 fail, 0 unknown')),
      expect.stringMatching(pattern('status_page  ✅ → 🔴 major: Partial outage')),
      expect.stringMatching(pattern(String.raw`NO-GO \(was GO\): 1 pass, 1 fail, 0 unknown`)),
      expect.stringMatching(pattern('NO-GO: 1 pass, 1 fail, 0 unknown')),
      expect.stringMatching(pattern('status_page  🔴 → ✅ operational: All Systems Operational')),
      expect.stringMatching(pattern(String.raw`GO \(was NO-GO\): 2 pass, 0 fail, 0 unknown`)),
      expect.stringMatching(pattern('GO: 2 pass, 0 fail, 0 unknown')),
    ]);
    const hookRuns = fs
      .readFileSync(hookLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(hookRuns).toEqual([
      {
        VERDICT: 'NO-GO',
        PREVIOUS_VERDICT: 'GO',
        SUMMARY: 'NO-GO: 🔴 status_page major: Partial outage',
      },
      { VERDICT: 'GO', PREVIOUS_VERDICT: 'NO-GO', SUMMARY: 'GO: all 2 gates pass' },
    ]);
  });

  it('--json prints one document per check, one per line', async () => {
    statusSequence(['none', 'critical']);
    const config = writeConfig('json.json', { status_page: { url: `${server.url}/status.json` } });
    const run = start([
      '--config',
      config,
      '--only',
      'status_page',
      '--watch',
      '--interval',
      '1',
      '--json',
    ]);
    const lines = await run.waitFor((l) => l.length >= 2, 'two checks');
    run.child.kill('SIGINT');
    const result = await run.child;
    expect(result.exitCode).toBe(130);
    const docs = lines
      .slice(0, 2)
      .map(
        (l) => JSON.parse(l) as { verdict: string; checkedAt: string; gates: { state: string }[] },
      );
    expect(docs.map((d) => [Object.keys(d), d.verdict, d.gates.map((g) => g.state)])).toEqual([
      [['verdict', 'checkedAt', 'gates'], 'GO', ['pass']],
      [['verdict', 'checkedAt', 'gates'], 'NO-GO', ['fail']],
    ]);
  });

  it('lets other commands use the database between checks, and sees what they changed', async () => {
    const config = writeConfig('signups.json', { signups: { min: 1 } });
    const run = start(['--config', config, '--only', 'signups', '--watch', '--interval', '2']);
    await run.waitFor(
      (l) => l.some((x) => x.includes('🔴 0 redeemed invites (min 1)')),
      'the first check',
    );
    // On the embedded database the monitor holds the directory only during a check.
    await retry(async () => {
      const sql = await db.sql();
      await sql`insert into public.beta_invites (code, email, cohort, used_at)
                values ('DDDDDDDDDDDDDDD2', 'w@example.com', 'creator-w', now())`;
    });
    await db.release();
    const lines = await run.waitFor(
      (l) => l.some((x) => /signups {6}(🔴|⚪) → ✅ 1 redeemed invite \(min 1\)$/.test(x)),
      'signups turning ✅',
    );
    run.child.kill('SIGTERM');
    const result = await run.child;
    expect(result.exitCode).toBe(130);
    expect(lines.some((l) => l.includes('Error') || l.includes('unexpected'))).toBe(false);
    // It let go of the database on the way out.
    const sql = await db.sql();
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from public.beta_invites where used_at is not null`;
    expect(row?.n).toBe(1);
    await db.release();
  }, 120_000);
});

/** Retries while the embedded directory is busy (the monitor is mid-check). */
async function retry(action: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt > 600 || !/in use by process/.test(String(error))) throw error;
      // The helper keeps the failed open: drop it before trying again.
      await db.release().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
