import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { dbKind } from '../helpers/database.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';
import { addresses, makeOutdir } from '../helpers/outdir.js';
import { senderEnv, writeCohort } from '../helpers/render.js';

const db = useTestDatabase();
const sink = useSmtpSink();

/** The test database's env without the rehearsal permission the helper gives it. */
const unpermitted = { BETA_INVITES_EMBEDDED: undefined };

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('libpq variables name the server (no DATABASE_URL)', { timeout: 240_000 }, () => {
  it('render goes to the server PGHOST names, never to the embedded database', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-pg-'));
    const cohort = writeCohort(cwd, 60);
    const port = String(await closedPort());
    const env = { ...senderEnv, PGHOST: '127.0.0.1', PGPORT: port, PGDATABASE: 'app' };
    const run = await runCli(['render', cohort, '--out', 'out'], { cwd, env });
    expect(run.exitCode).toBe(1);
    expect(normalize(run.stderr, { [port]: 'PORT' })).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the database at 127.0.0.1:PORT/app: connection refused
        check that the server is running and DATABASE_URL is right"
    `);
    expect(fs.readdirSync(cwd)).toEqual(['cohort.csv']);
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it.skipIf(dbKind !== 'server')('report reads the server PGHOST… name', async () => {
    const url = new URL(db.url ?? '');
    const sql = await db.sql();
    await sql`insert into public.beta_invites (code, email, cohort, expires_at)
      values ('PGVARSAAAAAAAAA2', 'pg@example.org', 'creator-pgvars', now() + interval '1 day')`;
    const env = {
      DATABASE_URL: undefined,
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username),
      PGDATABASE: url.pathname.slice(1),
    };
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-pg-'));
    const run = await runCli(['report', '--json', '--cohort', 'creator-pgvars'], { cwd, env });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.stdout) as { total: { invited: number } }).total.invited).toBe(1);
    expect(fs.readdirSync(cwd)).toEqual([]);
    fs.rmSync(cwd, { recursive: true, force: true });
  });
});

describe.skipIf(dbKind !== 'embedded')(
  'send from the embedded database',
  { timeout: 240_000 },
  () => {
    it('send --confirm is refused without permission: exit 1, the path, the ways out, nothing sent', async () => {
      const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'refused') });
      const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], {
        db,
        env: unpermitted,
      });
      expect(run.exitCode).toBe(1);
      expect(normalize(run.stderr, { [db.home]: 'HOME' })).toMatchInlineSnapshot(`
        "beta-invites: refusing to send invitations recorded in the embedded database at HOME/db: the signup page cannot know their codes
          set DATABASE_URL (or PGHOST…) to the host application's database, or pass --embedded / BETA_INVITES_EMBEDDED=1 for a rehearsal whose codes no signup page knows"
      `);
      expect(sink.messages).toHaveLength(0);
      expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
    });

    it('BETA_INVITES_EMBEDDED=1 permits it (a rehearsal)', async () => {
      const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'envok') });
      const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], {
        db,
        env: { BETA_INVITES_EMBEDDED: '1' },
      });
      expect(run.exitCode).toBe(0);
      expect(sink.receivedBy('envok001@example.net')).toHaveLength(1);
    });

    it('the dry run says which database a real run would record to (--json)', async () => {
      const out = await makeOutdir({ sql: await db.sql(), emails: addresses(1, 'drydb') });
      const run = await runCli(['send', out.dir, '--json', '--smtp', sink.url()], {
        db,
        env: unpermitted,
      });
      expect(run.exitCode).toBe(0);
      const report = JSON.parse(run.stdout) as { database?: string };
      expect(report.database?.replace(db.home, 'HOME')).toMatchInlineSnapshot(
        `"EMBEDDED database at HOME/db: a real send is refused — set DATABASE_URL (or PGHOST…) to the host application's database, or pass --embedded / BETA_INVITES_EMBEDDED=1 for a rehearsal whose codes no signup page knows"`,
      );
    });

    // ── Needs src/commands changes: `--embedded` on send and preflight (see the README). ──

    it('send --confirm --embedded permits it', async () => {
      const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'flagok') });
      const run = await runCli(['send', out.dir, '--confirm', '--embedded', '--smtp', sink.url()], {
        db,
        env: unpermitted,
      });
      expect(normalize(run.stderr).replace(/^sending \d+ message\(s\)…\n?/m, '')).toBe('');
      expect(run.exitCode).toBe(0);
      expect(sink.receivedBy('flagok001@example.net')).toHaveLength(1);
    });

    it('the text dry run names the embedded database loudly', async () => {
      const out = await makeOutdir({ sql: await db.sql(), emails: addresses(1, 'drytext') });
      const run = await runCli(['send', out.dir, '--smtp', sink.url()], { db, env: unpermitted });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`EMBEDDED database at ${path.join(db.home, 'db')}`);
    });

    it('preflight: 🔴 send database unless permitted', async () => {
      const cohort = writeCohort(db.home, 60, 'preflight.csv');
      const args = ['preflight', cohort, '--json', '--smtp', sink.url()];
      const refused = await runCli(args, { db, env: { ...senderEnv, ...unpermitted } });
      const permitted = await runCli([...args, '--embedded'], {
        db,
        env: { ...senderEnv, ...unpermitted },
      });
      const stateOf = (stdout: string) =>
        (JSON.parse(stdout) as { items: { id: string; state: string }[] }).items.find(
          (i) => i.id === 'send-database',
        )?.state;
      expect([stateOf(refused.stdout), stateOf(permitted.stdout)]).toEqual(['fail', 'pass']);
    });
  },
);
