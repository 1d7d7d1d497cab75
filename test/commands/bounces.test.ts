import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixture } from '../helpers/paths.js';
import { manifestOf, senderEnv, writeCohort } from '../helpers/render.js';
import { insertFixtureInvites, writeMaildir, writeMbox } from '../core/bounces/fixture-invites.js';

let db: TestDatabase;
const VERP = ['--return-path', 'bounces+{invite}@example.org'];

beforeAll(async () => {
  db = await createTestDatabase();
  await insertFixtureInvites(await db.sql());
  writeMaildir(path.join(db.home, 'Maildir'));
});
afterAll(async () => {
  await db.drop();
});

async function recorded(): Promise<number> {
  const sql = await db.sql();
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from public.beta_invites_bounces`;
  return row?.n ?? -1;
}

describe('bounces', () => {
  it('--dry-run counts what it would record and records nothing', async () => {
    const run = await runCli(['bounces', 'Maildir', ...VERP, '--dry-run', '--json'], { db });
    expect(run.exitCode).toBe(2);
    const report = JSON.parse(run.stdout) as { dryRun: boolean; counts: Record<string, number> };
    expect(report.dryRun).toBe(true);
    expect(report.counts).toMatchObject({ read: 15, recorded: 10, inviteNotFound: 2 });
    expect(await recorded()).toBe(0);
  });

  it('records a Maildir, lists what it could not attribute or read, exits 2', async () => {
    const run = await runCli(['bounces', 'Maildir', ...VERP], { db });
    expect(run.exitCode).toBe(2);
    expect(normalize(run.stdout)).toMatchInlineSnapshot(`
      "Bounces in Maildir:
        read                      15
        recorded                  10
        already recorded           0
        hard (5.x.x)               9
        soft (4.x.x)               1
        unknown (no status)        2
        not a bounce               2
        invite not found           2
        unreadable                 1

      5 to look at:
        Maildir/new/176486.M1P1.host <hostile-000f@hostile.example>: delivery report with no delivery-status part
        Maildir/cur/176487.M1P1.host:2,S <no-invite-id-000c@mx1.example.org>: invite not found: no X-Beta-Invite-Id in the returned headers, and no address matching bounces+{invite}@example.org
        Maildir/new/176484.M1P1.host <E1vQx9Z-000XyZ-1a@relay.example.net>: no status in the report: recorded as unknown for invite 0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b04
        Maildir/new/176488.M1P1.host <no-status-0008@old-mta.example.com>: no status in the report: recorded as unknown for invite 0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b08
        Maildir/cur/1764813.M1P1.host:2,S <unknown-invite-000b@mx1.example.org>: invite not found: 0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5bff is not in this database"
    `);
    expect(normalize(run.stderr)).toBe('');
    expect(await recorded()).toBe(10);
  });

  it('records nothing twice, from the same messages in an mbox', async () => {
    writeMbox(path.join(db.home, 'bounces.mbox'));
    const run = await runCli(['bounces', 'bounces.mbox', ...VERP, '--json'], { db });
    expect(run.exitCode).toBe(2);
    const report = JSON.parse(run.stdout) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ read: 15, recorded: 0, alreadyRecorded: 10 });
    expect(await recorded()).toBe(10);
  });

  it('exits 0 when every message is recorded or not a bounce', async () => {
    const clean = path.join(db.home, 'clean');
    fs.mkdirSync(clean);
    for (const name of ['gmail.eml', 'auto-reply.eml', 'spam.eml'])
      fs.copyFileSync(fixture(`bounces/${name}`), path.join(clean, name));
    const run = await runCli(['bounces', 'clean'], { db });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/already recorded +1\n/);
    const one = await runCli(['bounces', 'clean/gmail.eml'], { db });
    expect(one.exitCode).toBe(0);
  });
});

describe('send after bounces', () => {
  it('skips an invite whose address hard-bounced, and says so', async () => {
    writeCohort(db.home, 4);
    const render = await runCli(['render', 'cohort.csv', '--out', 'out', '--force'], {
      db,
      env: senderEnv,
    });
    expect(render.exitCode).toBe(0);
    const [first] = manifestOf(path.join(db.home, 'out'));
    if (!first) throw new Error('render wrote no manifest');
    // A Postfix bounce of that invite, as it would come back.
    const dsn = fs
      .readFileSync(fixture('bounces/postfix-rfc822-headers.eml'), 'utf8')
      .replace('0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b01', first.inviteId)
      .replace('<20261201081403.5B1F21C0B3F@mx1.example.org>', '<send-test@mx1.example.org>');
    fs.writeFileSync(path.join(db.home, 'new-bounce.eml'), dsn);
    expect((await runCli(['bounces', 'new-bounce.eml'], { db })).exitCode).toBe(0);
    const send = await runCli(['send', 'out', '--json'], { db });
    expect(send.exitCode).toBe(0);
    const report = JSON.parse(send.stdout) as {
      toSend: number;
      skipped: { bounced: number; first: { email: string; reason: string }[] };
    };
    expect(report.toSend).toBe(3);
    expect(report.skipped.bounced).toBe(1);
    expect(report.skipped.first).toEqual([
      { email: first.email, file: first.file, reason: 'bounced' },
    ]);
  });
});
