import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { makeCohortsOutdir } from '../helpers/cohorts-outdir.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';
import { addresses, type Outdir } from '../helpers/outdir.js';
import { msmtpPath, onTheWire } from '../helpers/smtp.js';

const ME = 'me@example.org';
const YOU = 'you@example.org';
const db = useTestDatabase();
const sink = useSmtpSink();

function clean(text: string, dir: string): string {
  return normalize(text, { [dir]: 'DIR', [String(sink.port)]: 'PORT' }).replace(
    /250 [^\n]*/g,
    '250 …',
  );
}

async function folder(prefix: string): Promise<Outdir> {
  return makeCohortsOutdir(await db.sql(), {
    creators: addresses(4, `${prefix}-c`),
    press: addresses(3, `${prefix}-p`),
    listeners: addresses(3, `${prefix}-l`),
  });
}

/** The folder holds what render wrote, and nothing else. */
function expectUntouched(out: Outdir): void {
  expect(fs.readdirSync(out.dir).filter((f) => !f.endsWith('.eml'))).toEqual(['manifest.jsonl']);
}

/** Every address the sink was asked to deliver to (RCPT TO), accepted or not. */
function rcptTo(): string[] {
  return [...sink.attempts.keys()];
}

async function sentAtCount(out: Outdir): Promise<number> {
  const sql = await db.sql();
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.beta_invites
    where id = any(${out.entries.map((e) => e.inviteId)}::uuid[]) and sent_at is not null`;
  return row?.n ?? -1;
}

/** The header block without the To and Subject fields (unfolded), and the body. */
function withoutToAndSubject(raw: Buffer): string {
  const text = raw.toString('latin1').replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = text
    .slice(0, end)
    .replace(/\n[ \t]+/g, ' ')
    .split('\n')
    .filter((line) => !/^(to|subject):/i.test(line));
  return head.join('\n') + text.slice(end);
}

describe('send --test-to: a rehearsal', { timeout: 240_000 }, () => {
  it('without --confirm says which copies would go where, and sends nothing', async () => {
    const out = await folder('dry');
    const run = await runCli(['send', out.dir, '--test-to', ME, '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "Dry run of a rehearsal: nothing was sent.
        folder       DIR
        transport    smtp://127.0.0.1:PORT
        test to      me@example.org
        would send   3 test message(s), copies of these invitations with To: the test addresses and Subject: [TEST] …
          creators   dry-c001@example.net  00001-dry-c001_example.net.eml
          press      dry-p001@example.net  00001-dry-p001_example.net.eml
          listeners  dry-l001@example.net  00001-dry-l001_example.net.eml
      No recipient is emailed and nothing is recorded. To send the rehearsal:
        beta-invites send DIR --confirm --smtp smtp://127.0.0.1:PORT --test-to me@example.org"
    `);
    expect(rcptTo()).toEqual([]);
    expectUntouched(out);
  });

  it('sends one copy per cohort to the test addresses only, records nothing', async () => {
    const out = await folder('reh');
    const run = await runCli(
      ['send', out.dir, '--test-to', `${ME},${YOU}`, '--smtp', sink.url(), '--confirm'],
      { db },
    );
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "✅ Rehearsal: 3 of 3 test message(s) accepted through smtp://127.0.0.1:PORT
         to me@example.org, you@example.org; no recipient was emailed, nothing was recorded
         ✅ creators   reh-c001@example.net  00001-reh-c001_example.net.eml: 250 …
         ✅ press      reh-p001@example.net  00001-reh-p001_example.net.eml: 250 …
         ✅ listeners  reh-l001@example.net  00001-reh-l001_example.net.eml: 250 …
      When the test messages look right, see what the real send would do (DIR):
        beta-invites send DIR --smtp smtp://127.0.0.1:PORT"
    `);
    expect(rcptTo().sort()).toEqual([ME, YOU]);
    expect(sink.messages).toHaveLength(3);
    const firsts = ['reh-c001@example.net', 'reh-p001@example.net', 'reh-l001@example.net'];
    for (const [i, message] of sink.messages.entries()) {
      expect(message.to).toEqual([ME, YOU]);
      expect(message.from).toBe('beta@example.org');
      const parsed = await simpleParser(message.raw);
      expect(parsed.subject).toBe('[TEST] Votre invitation à la bêta');
      expect(parsed.headers.get('to')).toMatchObject({ text: `${ME}, ${YOU}` });
      const file = onTheWire(fs.readFileSync(out.file(firsts[i] ?? '')));
      expect(withoutToAndSubject(message.raw)).toBe(withoutToAndSubject(file));
    }
    expectUntouched(out);
    expect(await sentAtCount(out)).toBe(0);

    const real = await runCli(['send', out.dir, '--smtp', sink.url()], { db });
    expect(real.stdout).toContain('would send   10:');
    sink.messages.length = 0;
    sink.attempts.clear();
  });

  it('--test-sample N spreads N copies over the cohorts, in manifest order (--json)', async () => {
    const out = await folder('spr');
    const run = await runCli(
      ['send', out.dir, '--test-to', ME, '--test-sample', '5', '--confirm', '--json'],
      { db, env: { SMTP_URL: sink.url() } },
    );
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      rehearsal: boolean;
      messages: { cohort: string; email: string; accepted: boolean }[];
    };
    expect(doc.rehearsal).toBe(true);
    expect(doc.messages.map((m) => [m.cohort, m.email, m.accepted])).toEqual([
      ['creators', 'spr-c001@example.net', true],
      ['press', 'spr-p001@example.net', true],
      ['listeners', 'spr-l001@example.net', true],
      ['creators', 'spr-c002@example.net', true],
      ['press', 'spr-p002@example.net', true],
    ]);
    expect(rcptTo()).toEqual([ME]);
    expect(sink.messages).toHaveLength(5);
    expectUntouched(out);
    sink.messages.length = 0;
    sink.attempts.clear();
  });

  it.skipIf(!msmtpPath)(
    'fails in one line quoting msmtp when it is installed but not configured (exit 78)',
    async () => {
      const out = await folder('cfg');
      const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bi-msmtp-')), 'empty');
      fs.writeFileSync(empty, '', { mode: 0o600 });
      const cmd = `msmtp --file=${empty}`;
      const run = await runCli(['send', out.dir, '--test-to', ME, '--send-cmd', cmd, '--confirm'], {
        db,
      });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect(normalize(run.stderr, { [empty]: 'EMPTY' })).toMatchInlineSnapshot(`
        "beta-invites: the rehearsal failed: command msmtp --file=EMPTY refused all 3 test message(s): msmtp exited with 78: msmtp: account default not found in EMPTY
          nothing was sent, to the test addresses or to any recipient: fix the transport (its configuration, or --send-cmd / --smtp), then rehearse again"
      `);
      expectUntouched(out);
    },
  );

  /** A refused rehearsal: nothing reaches the sink or the folder. */
  async function refused(prefix: string, flags: string[], code: number): Promise<string> {
    const out = await folder(prefix);
    const run = await runCli(['send', out.dir, ...flags, '--confirm', '--smtp', sink.url()], {
      db,
    });
    expect(run.exitCode).toBe(code);
    expect(run.stdout).toBe('');
    expect(rcptTo()).toEqual([]);
    expectUntouched(out);
    return normalize(run.stderr);
  }

  it('refuses a bad --test-to, --limit with it, and --test-sample without it (exit 64)', async () => {
    expect(await refused('bad1', ['--test-to', 'not-an-address'], 64)).toMatchInlineSnapshot(`
      "beta-invites: --test-to: "not-an-address" is not an email address (email has no @)
        see beta-invites send --help"
    `);
    expect(await refused('bad2', ['--test-to', ME, '--limit', '3'], 64)).toMatchInlineSnapshot(`
      "beta-invites: --limit chooses real recipients and cannot be used with --test-to
        a rehearsal sends to the --test-to addresses only; choose how many with --test-sample N"
    `);
    expect(await refused('bad3', ['--test-sample', '2'], 64)).toMatchInlineSnapshot(`
      "beta-invites: --test-sample needs --test-to (the addresses to rehearse with)
        see beta-invites send --help"
    `);
  });

  it('refuses a --cohort label no recipient has (exit 1)', async () => {
    expect(await refused('bad4', ['--test-to', ME, '--cohort', 'journalists'], 1))
      .toMatchInlineSnapshot(`
      "beta-invites: no recipient of the folder has the cohort label "journalists"
        labels in manifest.jsonl: creators, press, listeners"
    `);
  });
});
