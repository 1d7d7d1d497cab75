import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixture } from '../helpers/paths.js';
import { insertFixtureInvites } from '../core/bounces/fixture-invites.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertFixtureInvites(await db.sql());
});
afterAll(async () => {
  await db.drop();
});

/** Exit code and stderr, then checks that nothing was recorded. */
async function refused(args: string[], env: Record<string, string> = {}) {
  const run: CliResult = await runCli(['bounces', ...args], { db, env });
  const sql = await db.sql();
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from public.beta_invites_bounces`;
  expect(row?.n).toBe(0);
  expect(run.stdout).toBe('');
  return [run.exitCode, normalize(run.stderr, { [db.home]: 'HOME' })];
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('bounces refuses bad input, records nothing', () => {
  it('a missing source, or none at all, or two', async () => {
    expect(await refused(['no-such-Maildir'])).toMatchInlineSnapshot(`
      [
        1,
        "beta-invites: no-such-Maildir does not exist
        pass a Maildir (a folder with cur/ and new/), an mbox file, an .eml file or a folder of them, or --imap URL",
      ]
    `);
    expect(await refused([])).toMatchInlineSnapshot(`
      [
        64,
        "beta-invites: missing SOURCE
        give a Maildir, an mbox file, an .eml file or a folder of them, or --imap imaps://USER@HOST/INBOX (or BOUNCES_IMAP_URL)",
      ]
    `);
    expect(await refused(['Maildir', '--imap', 'imaps://u:p@127.0.0.1/INBOX']))
      .toMatchInlineSnapshot(`
      [
        64,
        "beta-invites: give either SOURCE or --imap, not both
        give a Maildir, an mbox file, an .eml file or a folder of them, or --imap imaps://USER@HOST/INBOX (or BOUNCES_IMAP_URL)",
      ]
    `);
  });

  it('a file that is neither an mbox nor a message, and an unreadable one', async () => {
    fs.writeFileSync(path.join(db.home, 'garbage.mbox'), Buffer.from([0, 1, 2, 3, 0xff, 10]));
    expect(await refused(['garbage.mbox'])).toMatchInlineSnapshot(`
      [
        1,
        "beta-invites: garbage.mbox is neither an mbox file nor a message
        pass a Maildir (a folder with cur/ and new/), an mbox file, an .eml file or a folder of them, or --imap URL",
      ]
    `);
    const locked = path.join(db.home, 'locked.mbox');
    fs.copyFileSync(fixture('bounces/gmail.eml'), locked);
    fs.chmodSync(locked, 0o000);
    // root reads any file: the permission case can only be shown by another user.
    if (process.getuid?.() !== 0) {
      expect(await refused(['locked.mbox'])).toEqual([
        1,
        'beta-invites: locked.mbox cannot be read (permission denied)\n' +
          '  pass a Maildir (a folder with cur/ and new/), an mbox file, an .eml file or a folder of them, or --imap URL',
      ]);
    }
  });

  it('a bad --return-path (usage, 64)', async () => {
    expect(await refused([db.home, '--return-path', 'bounces@example.org'])).toMatchInlineSnapshot(`
      [
        64,
        "beta-invites: --return-path must be one address with {invite} once in it (got "bounces@example.org")
        for example --return-path "bounces+{invite}@example.org"",
      ]
    `);
  });

  it('a bad IMAP URL, never echoing its password', async () => {
    expect(await refused(['--imap', 'imap://ops:hunter2@'])).toMatchInlineSnapshot(`
      [
        1,
        "beta-invites: the IMAP URL is not a valid URL
        expected imaps://USER@HOST/INBOX (or imap://… with STARTTLS), the password after USER: (percent-encoded) or in BOUNCES_IMAP_PASSWORD",
      ]
    `);
    expect(await refused(['--imap', 'pop3://ops:hunter2@mail.example.org/INBOX']))
      .toMatchInlineSnapshot(`
      [
        1,
        "beta-invites: the IMAP URL must start with imaps:// or imap:// (got pop3://)
        expected imaps://USER@HOST/INBOX (or imap://… with STARTTLS), the password after USER: (percent-encoded) or in BOUNCES_IMAP_PASSWORD",
      ]
    `);
    expect(await refused(['--imap', 'imaps://ops:hunter2@mail.example.org/INBOX?insecure=1']))
      .toMatchInlineSnapshot(`
      [
        1,
        "beta-invites: the IMAP URL has an unknown parameter "insecure"
        known: requireTLS, tls.rejectUnauthorized, connectionTimeout, greetingTimeout, socketTimeout",
      ]
    `);
    expect(await refused([], { BOUNCES_IMAP_URL: 'imaps://ops@mail.example.org/INBOX' }))
      .toMatchInlineSnapshot(`
      [
        1,
        "beta-invites: the IMAP URL names no password
        expected imaps://USER@HOST/INBOX (or imap://… with STARTTLS), the password after USER: (percent-encoded) or in BOUNCES_IMAP_PASSWORD",
      ]
    `);
  });

  it('an IMAP server that cannot be reached', async () => {
    const port = await closedPort();
    const [code, stderr] = await refused(['--imap', `imap://ops:hunter2@127.0.0.1:${port}/INBOX`]);
    expect([code, String(stderr).replaceAll(String(port), 'PORT')]).toMatchInlineSnapshot(`
      [
        1,
        "beta-invites: cannot read the IMAP mailbox at imap://ops:***@127.0.0.1:PORT/INBOX (ECONNREFUSED)
        check the host and port, and that the server is running",
      ]
    `);
  });
});
