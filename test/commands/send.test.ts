import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { addresses, makeOutdir, readJsonl } from '../helpers/outdir.js';
import { onTheWire } from '../helpers/smtp.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';

const PASS = 'pa55-w0rd-never-shown';
const db = useTestDatabase();
const sink = useSmtpSink({ users: { beta: PASS } });
let smtpUrl: string;

beforeAll(() => {
  smtpUrl = sink.url({ user: 'beta', pass: PASS });
});

/** Paths, the port and timings vary from run to run. */
function clean(text: string, dir: string): string {
  return normalize(text, { [dir]: 'DIR', [String(sink.port)]: 'PORT' }).replace(
    /in \d+\.\d s \(\d+\.\d\/s\)/g,
    'in N s (N/s)',
  );
}

const lines = readJsonl;

async function sentAt(ids: string[]): Promise<(Date | null)[]> {
  const sql = await db.sql();
  const rows = await sql<{ id: string; sent_at: Date | null }[]>`
    select id::text as id, sent_at from public.beta_invites where id = any(${ids}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.id, r.sent_at]));
  return ids.map((id) => byId.get(id) ?? null);
}

// Several runs of the real binary per test: slow on a busy machine.
describe('send through SMTP', { timeout: 240_000 }, () => {
  it('is a dry run by default: says what would go, through what, and sends nothing', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(12, 'dry') });
    const before = sink.messages.length;
    const run = await runCli(['send', out.dir, '--smtp', smtpUrl, '--rate', '20/s'], { db });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "Dry run: nothing was sent.
        folder       DIR (12 invitation(s) in manifest.jsonl)
        transport    smtp://beta:***@127.0.0.1:PORT
        approval     not approved: beta-invites review DIR, then beta-invites review DIR --approve --by NAME
        sent before  0
        would send   12:
          dry001@example.net
          dry002@example.net
          dry003@example.net
          dry004@example.net
          dry005@example.net
          dry006@example.net
          dry007@example.net
          dry008@example.net
          dry009@example.net
          dry010@example.net
          … and 2 more
      To send them for real:
        beta-invites send DIR --confirm --smtp 'smtp://beta:***@127.0.0.1:PORT' --rate 20/s
        (*** is the password; better put the URL in SMTP_URL: a command line lands in shell history)"
    `);
    expect(sink.messages.length).toBe(before);
    expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
    expect(await sentAt(out.entries.map((e) => e.inviteId))).toEqual(out.entries.map(() => null));
    expect(run.stdout + run.stderr).not.toContain(PASS);
  });

  it('sends every message once, byte for byte, and records each in sent.jsonl and sent_at', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(6, 'once') });
    const run = await runCli(['send', out.dir, '--confirm'], { db, env: { SMTP_URL: smtpUrl } });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "✅ 6 of 6 sent, 0 failed in N s (N/s) through smtp://beta:***@127.0.0.1:PORT
         ledger: DIR/sent.jsonl"
    `);
    for (const entry of out.entries) {
      const got = sink.receivedBy(entry.email);
      expect(got).toHaveLength(1);
      expect(got[0]?.from).toBe('beta@example.org');
      expect(got[0]?.to).toEqual([entry.email]);
      expect(got[0]?.user).toBe('beta');
      expect(got[0]?.raw.equals(onTheWire(fs.readFileSync(out.file(entry.email))))).toBe(true);
    }
    const ledger = lines(path.join(out.dir, 'sent.jsonl'));
    expect(ledger.map((l) => l.inviteId).sort()).toEqual(out.entries.map((e) => e.inviteId).sort());
    expect(ledger[0]).toMatchObject({
      transport: `smtp://beta:***@127.0.0.1:${sink.port}`,
      response: expect.stringMatching(/^250 /) as string,
      sha256: out.entries.find((e) => e.inviteId === ledger[0]?.inviteId)?.sha256,
    });
    expect((await sentAt(out.entries.map((e) => e.inviteId))).every((d) => d instanceof Date)).toBe(
      true,
    );

    const rerun = await runCli(['send', out.dir, '--confirm'], { db, env: { SMTP_URL: smtpUrl } });
    expect(rerun.exitCode).toBe(0);
    expect(clean(rerun.stdout, out.dir)).toMatchInlineSnapshot(
      `"✅ Nothing to send in DIR: 6 already sent."`,
    );
    for (const entry of out.entries) expect(sink.receivedBy(entry.email)).toHaveLength(1);
  });

  it('retries a 451 with backoff and delivers; a 550 goes to send-failed.jsonl with exit 2', async () => {
    const [later, gone, ...rest] = addresses(5, 'mixed');
    sink.answer(later as string, [451, 250]);
    sink.answer(gone as string, [550]);
    const out = await makeOutdir({
      sql: await db.sql(),
      emails: [later as string, gone as string, ...rest],
    });
    const run = await runCli(['send', out.dir, '--confirm', '--smtp', smtpUrl], { db });
    expect(run.exitCode).toBe(2);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "🟡 4 of 5 sent, 1 failed in N s (N/s) through smtp://beta:***@127.0.0.1:PORT
         failed: mixed002@example.net: RCPT TO: 550 No such user here <mixed002@example.net>
         ledger: DIR/sent.jsonl
         failures: DIR/send-failed.jsonl
      After fixing the cause, retry the failed ones with (what was sent is skipped):
        beta-invites send DIR --confirm --smtp 'smtp://beta:***@127.0.0.1:PORT'"
    `);
    expect(sink.attempts.get(later as string)).toBe(2);
    expect(sink.receivedBy(later as string)).toHaveLength(1);
    expect(sink.receivedBy(gone as string)).toHaveLength(0);
    for (const email of rest) expect(sink.receivedBy(email)).toHaveLength(1);
    const failed = lines(path.join(out.dir, 'send-failed.jsonl'));
    expect(failed).toEqual([
      expect.objectContaining({
        email: gone,
        permanent: true,
        attempts: 1,
        reason: `RCPT TO: 550 No such user here <${gone}>`,
      }),
    ]);
    expect(lines(path.join(out.dir, 'sent.jsonl'))).toHaveLength(4);
    const goneId = out.entries.find((e) => e.email === gone)?.inviteId as string;
    expect(await sentAt([goneId])).toEqual([null]);

    // The rerun tries only the failed one; still refused, nothing sent: exit 1.
    const rerun = await runCli(['send', out.dir, '--confirm', '--smtp', smtpUrl], { db });
    expect(rerun.exitCode).toBe(1);
    expect(sink.attempts.get(gone as string)).toBe(2);
    expect(lines(path.join(out.dir, 'send-failed.jsonl'))).toHaveLength(2);
  });

  it('skips invites sent from another folder (sent_at), and sets a missing sent_at from the ledger', async () => {
    const first = await makeOutdir({ sql: await db.sql(), emails: addresses(3, 'twice') });
    expect(
      (await runCli(['send', first.dir, '--confirm', '--smtp', smtpUrl], { db })).exitCode,
    ).toBe(0);
    // The same invites rendered again into a second folder (render reuses pending invites).
    const second = fs.mkdtempSync(path.join(path.dirname(first.dir), 'bi-out-again-'));
    for (const name of fs.readdirSync(first.dir).filter((n) => n !== 'sent.jsonl')) {
      fs.copyFileSync(path.join(first.dir, name), path.join(second, name));
    }
    const dry = await runCli(['send', second, '--smtp', smtpUrl], { db });
    expect(dry.exitCode).toBe(0);
    expect(clean(dry.stdout, second)).toMatchInlineSnapshot(`
      "Dry run: nothing was sent.
        folder       DIR (3 invitation(s) in manifest.jsonl)
        transport    smtp://beta:***@127.0.0.1:PORT
        approval     not approved: beta-invites review DIR, then beta-invites review DIR --approve --by NAME
        sent before  3 (3 from another folder, per the database)
        would send   0"
    `);
    const again = await runCli(['send', second, '--confirm'], {
      db,
      env: { SEND_CMD: 'msmtp', SMTP_URL: undefined },
    });
    expect(again.exitCode).toBe(0);
    for (const entry of first.entries) expect(sink.receivedBy(entry.email)).toHaveLength(1);

    // A crash between the ledger's fsync and the database update leaves sent_at null:
    // the next run sets it from the ledger, and sends nothing.
    const ids = first.entries.map((e) => e.inviteId);
    const sql = await db.sql();
    await sql`update public.beta_invites set sent_at = null where id = any(${ids}::uuid[])`;
    const rerun = await runCli(['send', first.dir], { db, env: { SEND: '1', SMTP_URL: smtpUrl } });
    expect(rerun.exitCode).toBe(0);
    expect(clean(rerun.stdout, first.dir)).toMatchInlineSnapshot(
      `"✅ Nothing to send in DIR: 3 already sent."`,
    );
    const ledgerTimes = new Map(
      lines(path.join(first.dir, 'sent.jsonl')).map((l) => [l.inviteId, l.at]),
    );
    const restored = await sentAt(ids);
    expect(restored.map((d) => d?.toISOString())).toEqual(ids.map((id) => ledgerTimes.get(id)));
  });

  it('stops after --max-errors consecutive failures: the relay is probably down (exit 1)', async () => {
    const emails = addresses(8, 'down');
    for (const email of emails) sink.answer(email, [554]);
    const out = await makeOutdir({ sql: await db.sql(), emails });
    const run = await runCli(
      ['send', out.dir, '--confirm', '--smtp', smtpUrl, '--max-errors', '3', '--concurrency', '1'],
      { db },
    );
    expect(run.exitCode).toBe(1);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "🔴 Stopped after 3 consecutive failures (last: down003@example.net: RCPT TO: 554 No such user here <down003@example.net>)
         the relay is probably down: 0 of 8 sent, 3 failed, 5 not attempted.
         failed: down001@example.net: RCPT TO: 554 No such user here <down001@example.net>
         failed: down002@example.net: RCPT TO: 554 No such user here <down002@example.net>
         failed: down003@example.net: RCPT TO: 554 No such user here <down003@example.net>
         failures: DIR/send-failed.jsonl
      Resume with (what was sent is skipped):
        beta-invites send DIR --confirm --smtp 'smtp://beta:***@127.0.0.1:PORT' --concurrency 1 --max-errors 3"
    `);
    expect(lines(path.join(out.dir, 'send-failed.jsonl'))).toHaveLength(3);
    expect(emails.map((e) => sink.attempts.get(e) ?? 0)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('prints one JSON summary with --json', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(3, 'json') });
    const run = await runCli(['send', out.dir, '--confirm', '--json', '--smtp', smtpUrl], { db });
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      mode: 'send',
      transport: `smtp://beta:***@127.0.0.1:${sink.port}`,
      total: 3,
      toSend: 3,
      sent: 3,
      failed: 0,
      remaining: 0,
      stopped: null,
      interrupted: null,
      command: `beta-invites send ${out.dir} --confirm --smtp 'smtp://beta:***@127.0.0.1:${sink.port}'`,
    });
  });

  it('never shows the SMTP password: not in output, not in any file of the folder', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(3, 'secret') });
    sink.answer('secret002@example.net', [550]);
    const runs = [
      await runCli(['send', out.dir, '--smtp', smtpUrl], { db }),
      await runCli(['send', out.dir, '--confirm', '--smtp', smtpUrl, '--debug'], { db }),
      await runCli(['send', out.dir, '--confirm', '--json'], { db, env: { SMTP_URL: smtpUrl } }),
      await runCli(
        ['send', out.dir, '--confirm', '--smtp', sink.url({ user: 'beta', pass: 'wrong-' + PASS })],
        { db },
      ),
    ];
    expect(
      runs.map((r) => r.exitCode),
      runs.map((r) => r.stderr).join('\n'),
    ).toEqual([0, 2, 1, 1]);
    expect(clean(runs[3]?.stderr ?? '', out.dir)).toMatchInlineSnapshot(`
      "beta-invites: the SMTP server at 127.0.0.1:PORT refused the login of "beta": 535 Authentication failed
        check the user and password in the SMTP URL"
    `);
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(PASS);
    for (const name of fs.readdirSync(out.dir)) {
      expect(fs.readFileSync(path.join(out.dir, name), 'utf8')).not.toContain(PASS);
    }
  });
});
