import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { addresses, makeOutdir } from '../helpers/outdir.js';
import {
  fakeSendmail,
  msmtpConfig,
  msmtpPath,
  onTheWire,
  readSendmailSink,
  startSmtpSink,
} from '../helpers/smtp.js';
import { useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();
let mailDir: string;

if (msmtpPath === undefined) {
  console.warn(
    'msmtp is not installed: the msmtp test is skipped (.ci/run installs it; apt-get install msmtp)',
  );
}

function freshMailDir(): string {
  mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-sendmail-'));
  return mailDir;
}

function readLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

// Several runs of the real binary per test: slow on a busy machine.
describe('send through a sendmail-compatible command', { timeout: 240_000 }, () => {
  it('pipes the exact .eml bytes with -i -f FROM -- TO, splitting SEND_CMD like a shell', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(4, 'cmd') });
    const sendCmd = `${fakeSendmail} --account='launch day' -oi`;
    const run = await runCli(['send', out.dir, '--confirm'], {
      db,
      env: { SEND_CMD: sendCmd, FAKE_SENDMAIL_DIR: freshMailDir() },
    });
    expect(run.exitCode).toBe(0);
    expect(
      normalize(run.stdout, { [out.dir]: 'DIR', [fakeSendmail]: 'FAKE' }).replace(
        /in \S+ s \(\S+\/s\)/,
        'in N s',
      ),
    ).toMatchInlineSnapshot(`
      "✅ 4 of 4 sent, 0 failed in N s through command FAKE --account='launch day' -oi
         ledger: DIR/sent.jsonl"
    `);
    const got = readSendmailSink(mailDir);
    expect(got).toHaveLength(4);
    for (const entry of out.entries) {
      const mine = got.filter((m) => m.to.includes(entry.email));
      expect(mine).toHaveLength(1);
      expect(mine[0]?.raw.equals(fs.readFileSync(out.file(entry.email)))).toBe(true);
    }
    const meta = JSON.parse(
      fs.readFileSync(
        path.join(mailDir, fs.readdirSync(mailDir).find((n) => n.endsWith('.json')) ?? ''),
        'utf8',
      ),
    ) as { args: string[] };
    expect(meta.args.slice(0, 6)).toEqual([
      '--account=launch day',
      '-oi',
      '-i',
      '-f',
      'beta@example.org',
      '--',
    ]);
    expect(readLines(path.join(out.dir, 'sent.jsonl'))[0]).toMatchObject({
      response: 'fake-sendmail.js exit 0',
    });
  });

  it('says in a dry run where the command is, refuses one that is missing, and sends nothing', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'cmddry') });
    const found = await runCli(['send', out.dir, '--send-cmd', `${fakeSendmail} -oi`], {
      db,
      env: { FAKE_SENDMAIL_DIR: freshMailDir() },
    });
    const missing = await runCli(['send', out.dir], {
      db,
      env: { SEND_CMD: 'no-such-sendmail --flag' },
    });
    expect([found.exitCode, missing.exitCode]).toEqual([0, 1]);
    const replacements = { [out.dir]: 'DIR', [fakeSendmail]: 'FAKE' };
    expect(normalize(found.stdout, replacements)).toMatchInlineSnapshot(`
      "Dry run: nothing was sent.
        folder       DIR (2 invitation(s) in manifest.jsonl)
        transport    command FAKE -oi  (FAKE)
        approval     not approved: beta-invites review DIR, then beta-invites review DIR --approve --by NAME
        sent before  0
        would send   2:
          cmddry001@example.net
          cmddry002@example.net
      To send them for real:
        beta-invites send DIR --confirm --send-cmd 'FAKE -oi'"
    `);
    // The dry run refuses what the real run would refuse.
    expect(missing.stdout).toBe('');
    expect(normalize(missing.stderr, replacements)).toMatchInlineSnapshot(`
      "beta-invites: the send command "no-such-sendmail" was not found on PATH
        install it (e.g. apt-get install msmtp), or pass --send-cmd / SEND_CMD, or use --smtp URL"
    `);
    expect(readSendmailSink(mailDir)).toEqual([]);
    expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
  });

  it('retries exit 75 (EX_TEMPFAIL); another exit code is permanent, with the stderr kept', async () => {
    const [busy, bad, ok] = addresses(3, 'codes');
    const out = await makeOutdir({
      sql: await db.sql(),
      emails: [busy as string, bad as string, ok as string],
    });
    const run = await runCli(['send', out.dir, '--confirm', '--send-cmd', fakeSendmail], {
      db,
      env: {
        FAKE_SENDMAIL_DIR: freshMailDir(),
        FAKE_SENDMAIL_RULES: JSON.stringify({ [busy as string]: [75, 0], [bad as string]: [67] }),
      },
    });
    expect(run.exitCode).toBe(2);
    expect(
      readSendmailSink(mailDir)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual([busy, ok]);
    expect(readLines(path.join(out.dir, 'send-failed.jsonl'))).toEqual([
      expect.objectContaining({
        email: bad,
        permanent: true,
        attempts: 1,
        reason: `fake-sendmail.js exited with 67: fake-sendmail: mailbox unavailable for <${bad}>`,
      }),
    ]);
    expect(fs.readFileSync(path.join(mailDir, `.attempts-${busy}`), 'utf8')).toBe('2');
  });

  it('gives up on a transient failure after --retries, into send-failed.jsonl', async () => {
    const [busy] = addresses(1, 'busy');
    const out = await makeOutdir({ sql: await db.sql(), emails: [busy as string] });
    const run = await runCli(
      ['send', out.dir, '--confirm', '--send-cmd', fakeSendmail, '--retries', '1'],
      {
        db,
        env: {
          FAKE_SENDMAIL_DIR: freshMailDir(),
          FAKE_SENDMAIL_RULES: JSON.stringify({ [busy as string]: [75] }),
        },
      },
    );
    expect(run.exitCode).toBe(1);
    expect(readLines(path.join(out.dir, 'send-failed.jsonl'))).toEqual([
      expect.objectContaining({ email: busy, permanent: false, attempts: 2 }),
    ]);
  });

  it.runIf(msmtpPath !== undefined)(
    'works with msmtp itself, pointed at a real SMTP server',
    async () => {
      const sink = await startSmtpSink({ users: { launch: 'msmtp-secret-pw' } });
      try {
        const config = msmtpConfig(sink, freshMailDir(), {
          user: 'launch',
          pass: 'msmtp-secret-pw',
        });
        const out = await makeOutdir({ sql: await db.sql(), emails: addresses(3, 'msmtp') });
        const run = await runCli(
          ['send', out.dir, '--confirm', '--send-cmd', `msmtp -C ${config}`],
          { db },
        );
        expect(run.stderr + run.stdout).not.toContain('msmtp-secret-pw');
        expect(run.exitCode, run.stdout).toBe(0);
        for (const entry of out.entries) {
          const got = sink.receivedBy(entry.email);
          expect(got).toHaveLength(1);
          expect(got[0]?.from).toBe('beta@example.org');
          expect(got[0]?.user).toBe('launch');
          expect(got[0]?.raw.equals(onTheWire(fs.readFileSync(out.file(entry.email))))).toBe(true);
        }
        sink.answer('msmtp-refused@example.net', [550]);
        const refused = await makeOutdir({
          sql: await db.sql(),
          emails: ['msmtp-refused@example.net'],
        });
        const failed = await runCli(
          ['send', refused.dir, '--confirm', '--send-cmd', `msmtp -C ${config}`],
          { db },
        );
        expect(failed.exitCode).toBe(1);
        const [line] = readLines(path.join(refused.dir, 'send-failed.jsonl'));
        expect(line).toMatchObject({
          permanent: true,
          reason: expect.stringContaining('550') as string,
        });
      } finally {
        await sink.close();
      }
    },
  );
});
