import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { dbKind } from '../helpers/database.js';
import { githubSearch, sentryIssues } from '../helpers/http.js';
import { manifestOf, senderEnv, writeCohort } from '../helpers/render.js';
import { startCountingSink, type CountingSink } from './helpers/counting-sink.js';
import { peakRss, type PeakRss } from './helpers/peak-rss.js';
import { useHttpServer, useTestDatabase } from '../helpers/fixtures.js';

/**
 * Memory and descriptors under load. The full sizes run only with BI_SLOW=1 (minutes);
 * the scaled-down variant checks the same invariants on every run, in seconds.
 */
const SLOW = process.env.BI_SLOW === '1';
/**
 * Peak RSS allowed to one run of the binary, whatever the size: render and send keep no
 * state per recipient. The embedded database (PostgreSQL compiled to WebAssembly) lives in
 * the same process and weighs about 300 MB on its own.
 */
const LIMIT_MB = dbKind === 'server' ? 300 : 400;
const SCALES = [
  { name: 'scaled down', slow: false, render: 1_000, send: 500, cycles: 200 },
  {
    name: 'full size (set BI_SLOW=1 to run)',
    slow: true,
    render: 200_000,
    send: 200_000,
    cycles: 2_000,
  },
];
/** What the loop measured at one point (after a garbage collection). */
interface Sample {
  heapMB: number;
  rssMB: number;
  fds: number;
}

const loop = fileURLToPath(new URL('./helpers/monitor-loop.js', import.meta.url));

const db = useTestDatabase();
let sink: CountingSink;
const http = useHttpServer();
let rss: PeakRss;
/** What the runs measured, printed at the end (the figures for the README and the note). */
const figures: string[] = [];

beforeAll(async () => {
  sink = await startCountingSink();
  rss = peakRss();
  // A status page that flaps on every request: the verdict changes (and the hook runs) each cycle.
  let requests = 0;
  http.route('/status.json', () => ({
    body: { status: { indicator: requests++ % 2 === 0 ? 'none' : 'major', description: 'x' } },
  }));
  http.route('/api/0/organizations/acme/issues/', sentryIssues(3));
  http.route('/search/issues', githubSearch(0));
  http.route('/', { body: 'Bienvenue' });
  fs.writeFileSync(
    path.join(db.home, 'k6.json'),
    JSON.stringify({ timestamp: new Date().toISOString(), metrics: {} }),
  );
  const gates = {
    signups: { min: 0 },
    sentry: { baseUrl: http.url, org: 'acme', project: '1', max: 5 },
    status_page: { url: `${http.url}/status.json` },
    synthetic: { steps: [{ name: 'home', url: `${http.url}/`, expectText: 'Bienvenue' }] },
    k6_nightly: { summary: 'k6.json' },
    high_issues: { apiUrl: http.url, repo: 'acme/app', label: 'sev:high', tokenEnv: 'GH_TOKEN' },
  };
  fs.writeFileSync(path.join(db.home, 'monitor.json'), JSON.stringify({ gates }));
});
afterAll(async () => {
  if (figures.length > 0) console.log(`load figures (${db.kind} database):\n${figures.join('\n')}`);
  rss.remove();
  await sink.close();
});

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

/** A folder to send: the first `n` invitations of a render folder (files hard-linked). */
function firstOf(from: string, to: string, n: number): string[] {
  fs.mkdirSync(to);
  const lines = fs.readFileSync(path.join(from, 'manifest.jsonl'), 'utf8').split('\n').slice(0, n);
  for (const line of lines) {
    const { file } = JSON.parse(line) as { file: string };
    fs.linkSync(path.join(from, file), path.join(to, file));
  }
  fs.writeFileSync(path.join(to, 'manifest.jsonl'), lines.join('\n') + '\n');
  return lines.map((l) => (JSON.parse(l) as { email: string }).email);
}

for (const scale of SCALES) {
  const minutes = scale.slow ? 60 : 5;
  describe.skipIf(scale.slow && !SLOW)(`load, ${scale.name}`, { timeout: minutes * 60_000 }, () => {
    const prefix = `n${scale.render}-`;
    const out = `out-${scale.render}`;

    it(`render of ${scale.render} recipients: one invite and one file each, peak RSS < ${LIMIT_MB} MB`, async () => {
      const cohort = writeCohort(db.home, scale.render, `cohort-${scale.render}.csv`, prefix);
      const started = performance.now();
      const run = await runCli(['render', cohort, '--out', out, '--json'], {
        db,
        env: { ...senderEnv, ...rss.env },
        timeout: minutes * 60_000,
      });
      const took = seconds(started);
      const peak = rss.take();
      figures.push(`render ${scale.render}: ${took} s, peak RSS ${peak} MB`);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ rendered: scale.render, failed: 0 });
      const manifest = manifestOf(path.join(db.home, out));
      expect(new Set(manifest.map((e) => e.email)).size).toBe(scale.render);
      const emls = fs.readdirSync(path.join(db.home, out)).filter((f) => f.endsWith('.eml'));
      expect(emls).toHaveLength(scale.render);
      const sql = await db.sql();
      const [row] = await sql<{ rows: number; people: number }[]>`
        select count(*)::int as rows, count(distinct lower(email))::int as people
        from public.beta_invites where email like ${prefix + '%'}`;
      expect(row).toEqual({ rows: scale.render, people: scale.render });
      expect(peak).toBeLessThan(LIMIT_MB);
    });

    it(`send of ${scale.send} messages to a local sink: each exactly once, peak RSS < ${LIMIT_MB} MB`, async () => {
      const dir = path.join(db.home, `send-${scale.send}`);
      const emails = firstOf(path.join(db.home, out), dir, scale.send);
      const started = performance.now();
      const run = await runCli(['send', dir, '--confirm', '--json', '--smtp', sink.url], {
        db,
        env: rss.env,
        timeout: minutes * 60_000,
      });
      const took = seconds(started);
      const peak = rss.take();
      figures.push(`send ${scale.send}: ${took} s, peak RSS ${peak} MB`);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ sent: scale.send, failed: 0, remaining: 0 });
      expect(emails.filter((e) => sink.received.get(e) !== 1)).toEqual([]);
      const ledger = fs.readFileSync(path.join(dir, 'sent.jsonl'), 'utf8').trim().split('\n');
      expect(ledger).toHaveLength(scale.send);
      const sql = await db.sql();
      const [row] = await sql<{ sent: number }[]>`
        select count(*)::int as sent from public.beta_invites
        where email = any(${emails}) and sent_at is not null`;
      expect(row?.sent).toBe(scale.send);
      expect(peak).toBeLessThan(LIMIT_MB);
    });

    it(`monitor --watch over ${scale.cycles} fast cycles: flat heap, RSS and descriptors`, async () => {
      // The embedded database is opened and closed on every cycle (its thread started and
      // ended, about 0.6 s): there the signups gate gets a loop of its own, a tenth as
      // long, with a 60 ms pause in which the loop samples once the cycle's database is
      // let go (see monitor-loop.js).
      const runs =
        db.kind === 'server'
          ? [
              {
                gates: 'signups,sentry,status_page,synthetic,k6_nightly,high_issues',
                cycles: scale.cycles,
                intervalMs: 1,
              },
            ]
          : [
              {
                gates: 'sentry,status_page,synthetic,k6_nightly,high_issues',
                cycles: scale.cycles,
                intervalMs: 1,
              },
              { gates: 'signups', cycles: Math.max(20, scale.cycles / 10), intervalMs: 60 },
            ];
      for (const { gates, cycles, intervalMs } of runs) {
        await db.release();
        const started = performance.now();
        const child = await execa(
          process.execPath,
          ['--expose-gc', loop, 'monitor.json', String(cycles), gates, 'true'],
          {
            cwd: db.home,
            env: cleanEnv({
              ...db.env,
              ...rss.env,
              LOOP_INTERVAL_MS: String(intervalMs),
              GH_TOKEN: 'ghp_load',
              SENTRY_TOKEN: 'sntrys_load',
            }),
            extendEnv: false,
            reject: false,
            timeout: minutes * 60_000,
          },
        );
        const took = seconds(started);
        expect(child.exitCode, child.stderr).toBe(0);
        const result = JSON.parse(child.stdout) as {
          cycles: number;
          start: Sample;
          half: Sample;
          end: Sample;
          verdicts: Record<string, number>;
          notices: string[];
        };
        const { start, half, end } = result;
        const peak = rss.take();
        figures.push(
          `monitor ${cycles} cycles (${gates}): ${took} s, ` +
            `heap ${start.heapMB} → ${half.heapMB} → ${end.heapMB} MB, ` +
            `RSS ${start.rssMB} → ${half.rssMB} → ${end.rssMB} MB, ` +
            `fds ${start.fds} → ${half.fds} → ${end.fds}, peak RSS ${peak} MB`,
        );
        expect(result.cycles).toBe(cycles);
        if (gates.includes('status_page')) {
          // The status page flaps: the verdict changed, and the hook ran, on most cycles.
          expect(result.verdicts['NO-GO']).toBeGreaterThan(cycles / 4);
          expect(result.verdicts.GO).toBeGreaterThan(cycles / 4);
        }
        expect(result.notices.filter((n) => !n.startsWith('using embedded database'))).toEqual([]);
        // Flat: nothing grows with the number of cycles. No descriptor is added, and the
        // heap does not grow in the second half (a leak of 10 kB a cycle would add 10 MB
        // over the 1,000 cycles of the full-size run's second half). The RSS settles
        // later than the heap (the allocator keeps what it got): judged on long runs.
        expect(end.fds).toBeLessThanOrEqual(start.fds);
        expect(end.heapMB - half.heapMB).toBeLessThan(3);
        if (cycles >= 1000) expect(end.rssMB - half.rssMB).toBeLessThan(20);
        expect(peak).toBeLessThan(LIMIT_MB);
      }
    });
  });
}
