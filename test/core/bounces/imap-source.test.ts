import fs from 'node:fs';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImapUrl } from '../../../src/core/bounces/imap-url.js';
import { readBounces } from '../../../src/core/bounces/read-bounces.js';
import { openImapSource } from '../../../src/core/bounces/sources/imap.js';
import { MAX_MESSAGE_BYTES } from '../../../src/core/bounces/sources/source.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { dovecotAvailable, startDovecot, type Dovecot } from '../../helpers/dovecot.js';
import { fixture } from '../../helpers/paths.js';
import { BOUNCE_FIXTURES, insertFixtureInvites } from './fixture-invites.js';

if (!dovecotAvailable) {
  console.warn(
    'dovecot is not installed: the IMAP tests are skipped (.ci/run installs it; apt-get install dovecot-imapd)',
  );
}

describe.skipIf(!dovecotAvailable)('openImapSource against Dovecot', () => {
  let db: TestDatabase;
  let sql: Sql;
  let dovecot: Dovecot;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await db.sql();
    await insertFixtureInvites(sql);
    dovecot = await startDovecot({ tls: true });
    for (const name of BOUNCE_FIXTURES) dovecot.deliver(fixture(`bounces/${name}`));
  });

  afterAll(async () => {
    await dovecot?.stop();
    await db?.drop();
  });

  const url = (scheme: string, port: number | undefined, pass = dovecot.pass, query = '') =>
    `${scheme}://${dovecot.user}:${pass}@127.0.0.1:${port}/INBOX?tls.rejectUnauthorized=false${query}`;

  async function read(text: string) {
    const source = await openImapSource(parseImapUrl(text, undefined), MAX_MESSAGE_BYTES);
    try {
      return await readBounces(
        { source, returnPath: undefined, dryRun: false, maxBytes: MAX_MESSAGE_BYTES },
        { sql, clock: () => new Date('2026-12-04T12:00:00Z') },
      );
    } finally {
      await source.close();
    }
  }

  it('reads every message over imaps:// and leaves the mailbox as it was', async () => {
    const report = await read(url('imaps', dovecot.imapsPort));
    expect(report.source).toBe(
      `imaps://bounces:***@127.0.0.1:${dovecot.imapsPort}/INBOX?tls.rejectUnauthorized=false`,
    );
    expect(report.counts).toMatchObject({ read: 15, recorded: 9, notBounce: 2, unreadable: 1 });
    expect(fs.readdirSync(`${dovecot.maildir}/new`)).toHaveLength(15);
    expect(fs.readdirSync(`${dovecot.maildir}/cur`)).toHaveLength(0);
  });

  it('reads them again over imap:// with STARTTLS and records nothing twice', async () => {
    const report = await read(url('imap', dovecot.imapPort, undefined, '&requireTLS=true'));
    expect(report.counts).toMatchObject({ read: 15, recorded: 0, alreadyRecorded: 9 });
  });

  it('says which step failed, never with the password', async () => {
    const attempt = async (text: string) => {
      try {
        const source = await openImapSource(parseImapUrl(text, undefined), MAX_MESSAGE_BYTES);
        try {
          await source.messages()[Symbol.asyncIterator]().next();
        } finally {
          await source.close();
        }
        return 'opened';
      } catch (error) {
        return (error as Error).message.replaceAll(String(dovecot.imapsPort), 'PORT');
      }
    };
    const port = dovecot.imapsPort;
    expect(await attempt(url('imaps', port, 'wrong-pw'))).toMatchInlineSnapshot(
      `"the IMAP server at imaps://bounces:***@127.0.0.1:PORT/INBOX?tls.rejectUnauthorized=false refused the login of bounces"`,
    );
    expect(await attempt(`imaps://bounces:wrong-pw@127.0.0.1:${port}/INBOX`)).toMatchInlineSnapshot(
      `"TLS with the IMAP server at imaps://bounces:***@127.0.0.1:PORT/INBOX failed: self-signed certificate"`,
    );
    expect(await attempt(url('imaps', port).replace('/INBOX', '/Nowhere'))).toMatchInlineSnapshot(
      `"the IMAP mailbox "Nowhere" does not exist at imaps://bounces:***@127.0.0.1:PORT/Nowhere?tls.rejectUnauthorized=false"`,
    );
  });
});
