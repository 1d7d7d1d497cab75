import fs from 'node:fs';
import path from 'node:path';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions } from '../../src/core/db/database.js';
import { manifestEntry } from '../../src/core/outdir/manifest.js';
import { RECIPIENT_LOCK_NAMESPACE } from '../../src/core/render/invites.js';
import { sentLine } from '../../src/core/send/ledger.js';
import { normalize, runCli } from '../helpers/cli.js';
import { dbKind } from '../helpers/database.js';
import { addresses, makeOutdir, type Outdir } from '../helpers/outdir.js';
import { emlFiles, senderEnv, writeCohort } from '../helpers/render.js';
import { listing, manifestProblem, orphanEml, strictJsonLines } from './helpers/folder.js';
import { exited, startCli, waitFor, type Running } from './helpers/process.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';
import { closedPort } from '../helpers/http.js';

/**
 * Database faults while the real binaries run: the server ends their connection, the
 * database is down at start, a statement times out, the embedded data directory is held
 * by another process. Each ends with one clear line and the right exit code, leaves no
 * half-written file, and a rerun converges.
 */
const db = useTestDatabase();
const sink = useSmtpSink();
/**
 * The test's own client on a server, under another application_name than the tool's, so
 * that terminating "the tool's connections" never ends the test's.
 */
let own: Sql | undefined;

beforeAll(() => {
  if (db.url) {
    own = postgres(db.url, {
      ...clientOptions,
      max: 2,
      connection: { application_name: 'beta-invites-test' },
    });
  }
});
afterAll(async () => {
  await own?.end({ timeout: 1 });
});

/** The test's client: its own on a server, the shared in-process one on embedded. */
const testSql = (): Promise<Sql> => (own ? Promise.resolve(own) : db.sql());

const clean = (text: string) =>
  normalize(text, { [db.home]: 'HOME' }).replace(/bi_test_\d+_[0-9a-f]+/g, 'DB');

const render = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['render', ...args, '--force'], { db, env: { ...senderEnv, ...env } });

const send = (dir: string, env: Record<string, string | undefined> = {}) =>
  runCli(['send', dir, '--confirm', '--concurrency', '4'], {
    db,
    env: { SMTP_URL: sink.url(), ...env },
  });

async function invitesOf(prefix: string) {
  const sql = await testSql();
  return sql<{ email: string; n: number }[]>`
    select lower(email) as email, count(*) as n from public.beta_invites
    where email like ${prefix + '%'} group by 1 order by 1`;
}

/** The render folder after a failed run: a whole manifest (or none), no temp file, no orphan. */
async function expectNothingHalfWritten(out: string): Promise<void> {
  const { values, torn } = strictJsonLines(path.join(out, 'manifest.jsonl'));
  expect(torn).toBeUndefined();
  expect(
    manifestProblem(
      out,
      values.map((v) => manifestEntry.parse(v)),
    ),
  ).toBeUndefined();
  expect(listing(out).filter((f) => f.startsWith('.'))).toEqual([]);
  expect(await orphanEml(await testSql(), out)).toEqual([]);
}

/** A render rerun that converges: every recipient once in the database and in the folder. */
async function expectRenderConverges(cohort: string, out: string, prefix: string, n: number) {
  const rerun = await render([cohort, '--out', out]);
  expect(rerun.exitCode, rerun.stderr).toBe(0);
  const rows = await invitesOf(prefix);
  expect(rows).toHaveLength(n);
  expect(rows.every((r) => r.n === 1)).toBe(true);
  const { values } = strictJsonLines(path.join(out, 'manifest.jsonl'));
  expect(values).toHaveLength(n);
  expect(listing(out)).toEqual([...emlFiles(out), 'manifest.jsonl'].sort());
  expect(emlFiles(out)).toHaveLength(n);
}

function ledgerOf(out: Outdir) {
  const { values, torn } = strictJsonLines(path.join(out.dir, 'sent.jsonl'));
  expect(torn).toBeUndefined();
  return values.map((v) => sentLine.parse(v));
}

/** A send rerun that converges: everyone emailed exactly once, ledger and sent_at complete. */
async function expectSendConverges(out: Outdir): Promise<void> {
  const rerun = await send(out.dir);
  expect(rerun.exitCode, rerun.stderr + rerun.stdout).toBe(0);
  expect(out.entries.map((e) => sink.receivedBy(e.email).length)).toEqual(out.entries.map(() => 1));
  expect(
    ledgerOf(out)
      .map((l) => l.inviteId)
      .sort(),
  ).toEqual(out.entries.map((e) => e.inviteId).sort());
  const sql = await testSql();
  const [row] = await sql<{ unsent: number }[]>`
    select count(*) filter (where sent_at is null) as unsent from public.beta_invites
    where id = any(${out.entries.map((e) => e.inviteId)}::uuid[])`;
  expect(row?.unsent).toBe(0);
}

/** Backends named like the tool's in this database (the test helper's own pool among them). */
async function toolBackends(sql: Sql, where = sql``): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity
    where application_name = 'beta-invites' and datname = current_database() ${where}`;
  return rows.map((r) => r.pid);
}

/**
 * Starts the tool, waits until one of its backends (one that was not there before) waits
 * on a lock the test holds, then ends the tool's connections from the server side.
 * Polled outside the lock holder's transaction: pg_stat_activity is a snapshot per
 * transaction.
 */
async function terminateWhenBlocked(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: Running }> {
  const sql = await testSql();
  const before = await toolBackends(sql);
  const others = (pids: number[]) => pids.filter((pid) => !before.includes(pid));
  const { child } = await startCli(args, { db, env });
  await waitFor(
    async () =>
      exited(child) ||
      others(await toolBackends(sql, sql`and wait_event_type = 'Lock'`)).length > 0,
    60_000,
    50,
  );
  if (exited(child)) {
    const { exitCode, stdout, stderr } = await child;
    expect.fail(`the tool ended (${exitCode}) before waiting on the lock: ${stdout}${stderr}`);
  }
  const tool = others(await toolBackends(sql));
  await sql`select pg_terminate_backend(pid) from unnest(${tool}::int[]) as pid`;
  return { child };
}

describe('the server ends the connection', { timeout: 180_000 }, () => {
  it.runIf(dbKind === 'server')(
    'mid-render: one line, exit 1, and the rerun converges',
    async () => {
      const cohort = writeCohort(db.home, 120, 'term.csv', 'term');
      const out = path.join(db.home, 'out-term');
      const admin = await (await testSql()).reserve();
      let child: Running;
      try {
        // Recipient 50 is in the 4th batch of 16: the tool blocks there, mid-transaction.
        await admin`select pg_advisory_lock(${RECIPIENT_LOCK_NAMESPACE}, hashtext(lower('term50@example.org')))`;
        ({ child } = await terminateWhenBlocked(
          ['render', cohort, '--out', out, '--force', '--batch-size', '16'],
          senderEnv,
        ));
      } finally {
        await admin`select pg_advisory_unlock_all()`;
        admin.release();
      }
      const result = await child;
      expect(result.exitCode).toBe(1);
      expect(clean(result.stderr)).toMatchInlineSnapshot(`
        "beta-invites: lost the connection to the database at 127.0.0.1:5432/DB: the server closed the connection
          the invites committed before it are kept; rerun the same command to finish (they are reused, not duplicated)"
      `);
      expect(result.stdout).toBe('');
      await expectNothingHalfWritten(out);
      // Batches 1 to 3 committed and were written; the 4th was rolled back. No manifest yet:
      // a failed run keeps the folder's previous one (here none).
      expect(await invitesOf('term')).toHaveLength(48);
      expect((await invitesOf('term')).every((r) => r.n === 1)).toBe(true);
      expect(emlFiles(out)).toHaveLength(48);
      expect(fs.existsSync(path.join(out, 'manifest.jsonl'))).toBe(false);
      await expectRenderConverges(cohort, out, 'term', 120);
    },
  );

  it.runIf(dbKind === 'server')(
    'mid-send: one line, exit 1, the ledger is whole, and the rerun converges',
    async () => {
      const out = await makeOutdir({
        sql: await testSql(),
        emails: addresses(30, 'cut'),
        dir: path.join(db.home, 'out-cut'),
      });
      const admin = await (await testSql()).reserve();
      let child: Running;
      try {
        // Rows locked: the tool's first sent_at update waits, mid-send.
        await admin`begin`;
        await admin`select 1 from public.beta_invites where id = any(${out.entries.map((e) => e.inviteId)}::uuid[]) for update`;
        sink.setDataDelay(20);
        ({ child } = await terminateWhenBlocked(
          ['send', out.dir, '--confirm', '--concurrency', '4'],
          {
            SMTP_URL: sink.url(),
          },
        ));
      } finally {
        await admin`rollback`;
        admin.release();
        sink.setDataDelay(0);
      }
      const result = await child;
      expect(result.exitCode).toBe(1);
      expect(clean(result.stderr)).toMatchInlineSnapshot(`
        "sending 30 message(s)…
        beta-invites: lost the connection to the database at 127.0.0.1:5432/DB: the server closed the connection
          every message sent is in the folder's sent.jsonl: rerun the same command to record them and send the rest, none twice"
      `);
      expect(result.stdout).toBe('');
      // Whatever the relay accepted is in the ledger, once: nothing half-recorded.
      const ledger = ledgerOf(out);
      for (const e of out.entries) {
        expect(sink.receivedBy(e.email).length).toBe(
          ledger.some((l) => l.inviteId === e.inviteId) ? 1 : 0,
        );
      }
      await expectSendConverges(out);
    },
  );
});

describe('the database is down at start', { timeout: 180_000 }, () => {
  it('render stops before writing anything; the rerun converges', async () => {
    const port = await closedPort();
    const cohort = writeCohort(db.home, 20, 'down.csv', 'down');
    const out = path.join(db.home, 'out-down');
    const run = await render([cohort, '--out', out], {
      DATABASE_URL: `postgres://ops:s3cret@127.0.0.1:${port}/launch`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.replace(String(port), 'PORT')).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the database at 127.0.0.1:PORT/launch: connection refused
        check that the server is running and DATABASE_URL is right"
    `);
    expect(run.stderr).not.toContain('s3cret');
    expect(fs.existsSync(out)).toBe(false);
    expect(await invitesOf('down')).toEqual([]);
    await expectRenderConverges(cohort, out, 'down', 20);
  });

  it('send stops before sending anything; the rerun converges', async () => {
    const out = await makeOutdir({
      sql: await testSql(),
      emails: addresses(10, 'dark'),
      dir: path.join(db.home, 'out-dark'),
    });
    const port = await closedPort();
    const run = await send(out.dir, {
      DATABASE_URL: `postgres://ops:s3cret@127.0.0.1:${port}/launch`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.replace(String(port), 'PORT')).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the database at 127.0.0.1:PORT/launch: connection refused
        check that the server is running and DATABASE_URL is right"
    `);
    expect(listing(out.dir).filter((f) => !f.endsWith('.eml'))).toEqual(['manifest.jsonl']);
    expect(out.entries.every((e) => sink.receivedBy(e.email).length === 0)).toBe(true);
    await expectSendConverges(out);
  });
});

describe(
  'a statement timeout (server only: PGlite ignores statement_timeout)',
  { timeout: 180_000 },
  () => {
    it.runIf(dbKind === 'server')(
      'render: the waiting recipient fails alone, failed.csv reruns it',
      async () => {
        const sql = await testSql();
        const [{ name } = { name: '' }] = await sql<
          { name: string }[]
        >`select current_database() as name`;
        await sql.unsafe(`alter database ${name} set statement_timeout = '300ms'`);
        const cohort = writeCohort(db.home, 24, 'slow.csv', 'slow');
        const out = path.join(db.home, 'out-slow');
        const admin = await sql.reserve();
        try {
          await admin`select pg_advisory_lock(${RECIPIENT_LOCK_NAMESPACE}, hashtext(lower('slow5@example.org')))`;
          const run = await render([cohort, '--out', out, '--batch-size', '8']);
          expect(run.exitCode).toBe(2);
          expect(clean(run.stdout)).toMatchInlineSnapshot(`
          "Rendered 23 invitation(s) into out-slow/: 23 new invite(s), 0 reused.
          1 recipient(s) failed; they are listed with the reason in out-slow/failed.csv.
            after fixing the cause: beta-invites render out-slow/failed.csv --out out-slow --batch-size 8 --force
            review:   beta-invites review out-slow --open
            manifest: out-slow/manifest.jsonl
            next:     beta-invites send out-slow   (a dry run; add --confirm to send)"
        `);
          expect(fs.readFileSync(path.join(out, 'failed.csv'), 'utf8')).toMatchInlineSnapshot(`
          "email,cohort,name,error
          slow5@example.org,creator-podcast,Zoë 5,canceling statement due to statement timeout
          "
        `);
        } finally {
          await admin`select pg_advisory_unlock_all()`;
          admin.release();
        }
        await expectNothingHalfWritten(out);
        const rerun = await render([path.join(out, 'failed.csv'), '--out', out]);
        expect(rerun.exitCode, rerun.stderr).toBe(0);
        await sql.unsafe(`alter database ${name} reset statement_timeout`);
        await expectRenderConverges(cohort, out, 'slow', 24);
      },
    );

    it.runIf(dbKind === 'server')(
      'send: stops on the timed-out update, the rerun records and finishes',
      async () => {
        const sql = await testSql();
        const [{ name } = { name: '' }] = await sql<
          { name: string }[]
        >`select current_database() as name`;
        const out = await makeOutdir({
          sql,
          emails: addresses(20, 'wait'),
          dir: path.join(db.home, 'out-wait'),
        });
        await sql.unsafe(`alter database ${name} set statement_timeout = '300ms'`);
        const admin = await sql.reserve();
        try {
          await admin`begin`;
          await admin`select 1 from public.beta_invites where id = any(${out.entries.map((e) => e.inviteId)}::uuid[]) for update`;
          const run = await send(out.dir);
          expect(run.exitCode).toBe(1);
          expect(clean(run.stderr)).toMatchInlineSnapshot(`
            "sending 20 message(s)…
            beta-invites: sending stopped: the database at 127.0.0.1:5432/DB did not record what was sent: canceling statement due to statement timeout
              every message sent is in the folder's sent.jsonl: rerun the same command to record them and send the rest, none twice"
          `);
          expect(run.stdout).toBe('');
        } finally {
          await admin`rollback`;
          admin.release();
          await sql.unsafe(`alter database ${name} reset statement_timeout`);
        }
        const ledger = ledgerOf(out);
        for (const e of out.entries) {
          expect(sink.receivedBy(e.email).length).toBe(
            ledger.some((l) => l.inviteId === e.inviteId) ? 1 : 0,
          );
        }
        await expectSendConverges(out);
      },
    );
  },
);

describe(
  'the embedded data directory is held by another process (embedded only)',
  { timeout: 180_000 },
  () => {
    it.runIf(dbKind === 'embedded')(
      'render and send wait, then refuse with the holder named; after it, reruns converge',
      async () => {
        const sql = await testSql();
        const held = await makeOutdir({
          sql,
          emails: addresses(60, 'held'),
          dir: path.join(db.home, 'out-held'),
        });
        const other = await makeOutdir({
          sql,
          emails: addresses(8, 'other'),
          dir: path.join(db.home, 'out-other'),
        });
        const cohort = writeCohort(db.home, 16, 'busy.csv', 'busy');
        const out = path.join(db.home, 'out-busy');
        // The holder: a send that the relay slows down, one message at a time (30 s: longer
        // than the 10 s that render and send each wait for it).
        sink.setDataDelay(500);
        const { child } = await startCli(['send', held.dir, '--confirm', '--concurrency', '1'], {
          db,
          env: { SMTP_URL: sink.url() },
        });
        const lock = path.join(db.home, 'db.lock');
        try {
          expect(
            await waitFor(() => sink.receivedBy(held.entries[0]?.email ?? '').length > 0, 60_000),
          ).toBe(true);
          const pid = fs.readFileSync(lock, 'utf8').split('\n')[0] ?? '';
          const busy = await render([cohort, '--out', out]);
          expect(busy.exitCode).toBe(1);
          expect(clean(busy.stderr).replace(pid, 'PID')).toMatchInlineSnapshot(`
            "beta-invites: the embedded database at HOME/db is in use by process PID (beta-invites send), still after waiting 10 s
              wait for that command to finish, or stop it; set DATABASE_URL to share a server instead"
          `);
          expect(fs.existsSync(out)).toBe(false);
          const busySend = await send(other.dir);
          expect(busySend.exitCode).toBe(1);
          expect(clean(busySend.stderr).replace(pid, 'PID')).toMatchInlineSnapshot(`
            "beta-invites: the embedded database at HOME/db is in use by process PID (beta-invites send), still after waiting 10 s
              wait for that command to finish, or stop it; set DATABASE_URL to share a server instead"
          `);
          expect(listing(other.dir).filter((f) => !f.endsWith('.eml'))).toEqual(['manifest.jsonl']);
          expect(exited(child)).toBe(false);
        } finally {
          sink.setDataDelay(0);
        }
        const holder = await child;
        expect(holder.exitCode, holder.stderr).toBe(0);
        expect(fs.existsSync(lock)).toBe(false);
        await expectRenderConverges(cohort, out, 'busy', 16);
        await expectSendConverges(other);
      },
    );

    it.runIf(dbKind === 'embedded')(
      'a holder killed with SIGKILL leaves a lock the next run takes over',
      async () => {
        const out = await makeOutdir({
          sql: await testSql(),
          emails: addresses(12, 'gone'),
          dir: path.join(db.home, 'out-gone'),
        });
        sink.setDataDelay(300);
        const { child } = await startCli(['send', out.dir, '--confirm', '--concurrency', '1'], {
          db,
          env: { SMTP_URL: sink.url() },
        });
        expect(
          await waitFor(() => out.entries.some((e) => sink.receivedBy(e.email).length > 0), 60_000),
        ).toBe(true);
        child.kill('SIGKILL');
        await child;
        sink.setDataDelay(0);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(fs.existsSync(path.join(db.home, 'db.lock'))).toBe(true);
        const rerun = await send(out.dir);
        expect(rerun.exitCode, rerun.stderr).toBe(0);
        const got = out.entries.map((e) => sink.receivedBy(e.email).length);
        expect(got.every((n) => n >= 1)).toBe(true);
        // One message at a time: the kill can make at most that one go twice.
        expect(got.reduce((a, n) => a + n - 1, 0)).toBeLessThanOrEqual(1);
      },
    );
  },
);
