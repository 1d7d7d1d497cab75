import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { fixture } from '../helpers/paths.js';
import { BOUNCE_FIXTURES, insertFixtureInvites } from '../core/bounces/fixture-invites.js';

if (!dovecotAvailable) {
  console.warn(
    'dovecot is not installed: the IMAP tests are skipped (.ci/run installs it; apt-get install dovecot-imapd)',
  );
}

describe.skipIf(!dovecotAvailable)('bounces --imap against Dovecot', () => {
  let db: TestDatabase;
  let plain: Dovecot;
  let tls: Dovecot;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertFixtureInvites(await db.sql());
    plain = await startDovecot();
    tls = await startDovecot({ tls: true });
    for (const name of BOUNCE_FIXTURES) {
      plain.deliver(fixture(`bounces/${name}`));
      tls.deliver(fixture(`bounces/${name}`));
    }
  });

  afterAll(async () => {
    await plain?.stop();
    await tls?.stop();
    await db?.drop();
  });

  async function rows() {
    const sql = await db.sql();
    return sql<{ invite: string; kind: string; status: string | null }[]>`
      select right(invite_id::text, 2) as invite, kind, status
      from public.beta_invites_bounces order by invite_id`;
  }

  it('records the bounces of a plain imap:// mailbox, read-only', async () => {
    const url = `imap://${plain.user}:${plain.pass}@127.0.0.1:${plain.imapPort}/INBOX`;
    const run = await runCli(
      ['bounces', '--imap', url, '--return-path', 'bounces+{invite}@example.org'],
      { db },
    );
    expect(run.exitCode).toBe(2);
    const stdout = normalize(run.stdout).replaceAll(String(plain.imapPort), 'PORT');
    expect(stdout.split('\n').slice(0, 11).join('\n')).toMatchInlineSnapshot(`
      "Bounces in imap://bounces:***@127.0.0.1:PORT/INBOX:
        read                      15
        recorded                  10
        already recorded           0
        hard (5.x.x)               9
        soft (4.x.x)               1
        unknown (no status)        2
        not a bounce               2
        invite not found           2
        unreadable                 1
      "
    `);
    expect(stdout).toContain('UID 8 <no-invite-id-000c@mx1.example.org>: invite not found');
    expect(run.stdout + run.stderr).not.toContain(plain.pass);
    expect((await rows()).map((r) => `${r.invite} ${r.kind} ${r.status}`)).toMatchInlineSnapshot(`
      [
        "01 hard 5.1.1",
        "02 hard 5.2.1",
        "03 hard 5.1.1",
        "04 unknown null",
        "05 hard 5.1.1",
        "06 hard 5.1.10",
        "07 soft 4.2.2",
        "08 unknown null",
        "09 hard 5.7.1",
        "0a hard 5.1.1",
      ]
    `);
    // EXAMINE: nothing was flagged \Seen (moved to cur/), moved or deleted.
    expect(fs.readdirSync(`${plain.maildir}/new`)).toHaveLength(BOUNCE_FIXTURES.length);
    expect(fs.readdirSync(`${plain.maildir}/cur`)).toHaveLength(0);
  });

  it('reads the same bounces over imaps:// (URL and password from the environment), records nothing twice', async () => {
    const env = {
      BOUNCES_IMAP_URL: `imaps://${tls.user}@127.0.0.1:${tls.imapsPort}/INBOX?tls.rejectUnauthorized=false`,
      BOUNCES_IMAP_PASSWORD: tls.pass,
    };
    const run = await runCli(
      ['bounces', '--return-path', 'bounces+{invite}@example.org', '--json'],
      {
        db,
        env,
      },
    );
    expect(run.exitCode).toBe(2);
    const report = JSON.parse(run.stdout) as { source: string; counts: Record<string, number> };
    expect(report.source).toBe(
      `imaps://bounces@127.0.0.1:${tls.imapsPort}/INBOX?tls.rejectUnauthorized=false`,
    );
    expect(report.counts).toMatchObject({ read: 15, recorded: 0, alreadyRecorded: 10 });
    expect((await rows()).length).toBe(10);
  });

  it('says so when the login is refused, and records nothing', async () => {
    const url = `imap://${plain.user}:not-the-password@127.0.0.1:${plain.imapPort}/INBOX`;
    const before = (await rows()).length;
    const run = await runCli(['bounces', '--imap', url], { db });
    expect(run.exitCode).toBe(1);
    expect(normalize(run.stderr).replaceAll(String(plain.imapPort), 'PORT')).toMatchInlineSnapshot(`
      "beta-invites: the IMAP server at imap://bounces:***@127.0.0.1:PORT/INBOX refused the login of bounces
        check the user and the password (in the URL or BOUNCES_IMAP_PASSWORD)"
    `);
    expect(run.stdout).toBe('');
    expect((await rows()).length).toBe(before);
  });
});
