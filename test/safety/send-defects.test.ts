import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, runCli, type CliResult } from '../helpers/cli.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';
import { addresses, makeOutdir, type Outdir } from '../helpers/outdir.js';
import { msmtpConfig, msmtpPath } from '../helpers/smtp.js';

const db = useTestDatabase();
const sink = useSmtpSink();

if (msmtpPath === undefined) {
  console.warn(
    'msmtp is not installed: its tests are skipped (.ci/run installs it; apt-get install msmtp)',
  );
}

/** stderr without the embedded database's notice, with the folder and port replaced. */
function said(run: CliResult, dir: string): string {
  return normalize(run.stderr, { [dir]: 'DIR', [String(sink.port)]: 'PORT' });
}

async function folder(n: number, prefix: string): Promise<Outdir> {
  return makeOutdir({ sql: await db.sql(), emails: addresses(n, prefix) });
}

/** Rewrites a message with `edit`, and its manifest entry to match (sha256, email). */
function editConsistently(out: Outdir, email: string, newEmail: string): void {
  const file = out.file(email);
  const bytes = Buffer.from(
    fs.readFileSync(file, 'utf8').replace(`To: ${email}`, `To: ${newEmail}`),
  );
  fs.writeFileSync(file, bytes);
  const manifest = path.join(out.dir, 'manifest.jsonl');
  const lines = fs
    .readFileSync(manifest, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { email: string; sha256: string });
  for (const entry of lines) {
    if (entry.email !== email) continue;
    entry.email = newEmail;
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  }
  fs.writeFileSync(manifest, lines.map((l) => JSON.stringify(l) + '\n').join(''));
}

async function sentAt(ids: string[]): Promise<(Date | null)[]> {
  const sql = await db.sql();
  const rows = await sql<{ sent_at: Date | null }[]>`
    select sent_at from public.beta_invites where id = any(${ids}::uuid[])`;
  return rows.map((r) => r.sent_at);
}

// Several runs of the real binary per test: slow on a busy machine.
describe('send under hostile edits of the folder', { timeout: 240_000 }, () => {
  it('refuses a message readdressed consistently in the .eml and the manifest', async () => {
    const out = await folder(3, 'victim');
    editConsistently(out, 'victim002@example.net', 'mallory@evil.example');
    const before = sink.messages.length;
    for (const args of [[], ['--accept-edits']]) {
      const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url(), ...args], {
        db,
      });
      expect(run.exitCode).toBe(1);
      expect(said(run, out.dir)).toMatchInlineSnapshot(`
        "beta-invites: 1 file(s) in DIR are not addressed to their invite's recipient in the database: 00002-victim002_example.net.eml is addressed to mallory@evil.example, but its invite is for victim002@example.net
          nothing was sent; the folder was edited after render: render it again into a new folder (beta-invites render COHORT.csv --out NEWDIR), review it, then send that"
      `);
      expect(run.stdout).toBe('');
    }
    expect(sink.messages.length).toBe(before);
    expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
    expect(await sentAt(out.entries.map((e) => e.inviteId))).toEqual([null, null, null]);
  });

  it('refuses a link planted as sent.jsonl or send-failed.jsonl, leaving its target as it was', async () => {
    const out = await folder(2, 'linked');
    const target = path.join(out.dir, '..', `${path.basename(out.dir)}-precious.txt`);
    const before = sink.messages.length;
    for (const name of ['sent.jsonl', 'send-failed.jsonl']) {
      fs.writeFileSync(target, 'precious, no newline at the end');
      const link = path.join(out.dir, name);
      fs.symlinkSync(target, link);
      const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
      expect(run.exitCode).toBe(1);
      expect(said(run, out.dir).replace(name, 'LOG').replace(name, 'LOG')).toMatchInlineSnapshot(`
        "beta-invites: DIR/LOG is a symbolic link: send writes its logs only as plain files
          nothing was sent; remove it (rm DIR/LOG) or, if it stands for this folder's real log, put that file there instead, then rerun"
      `);
      expect(fs.readFileSync(target, 'utf8')).toBe('precious, no newline at the end');
      fs.rmSync(link);
      // A dangling link would be created at its target: refused the same way.
      fs.rmSync(target);
      fs.symlinkSync(target, link);
      const dangling = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
      expect(dangling.exitCode).toBe(1);
      expect(fs.existsSync(target)).toBe(false);
      fs.rmSync(link);
    }
    expect(sink.messages.length).toBe(before);
    expect(fs.readdirSync(out.dir).filter((n) => n.endsWith('.jsonl'))).toEqual(['manifest.jsonl']);
    expect(await sentAt(out.entries.map((e) => e.inviteId))).toEqual([null, null]);
  });

  it('refuses a second To or a Resent-* recipient header, even with --accept-edits', async () => {
    const out = await folder(3, 'resent');
    const add = (email: string, headers: string) => {
      const file = out.file(email);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.replace(`To: ${email}`, `To: ${email}\r\n${headers}`));
    };
    add('resent001@example.net', 'To: eve@evil.example');
    add('resent002@example.net', 'Resent-Bcc: eve@evil.example');
    add('resent003@example.net', 'Resent-To: eve@evil.example\r\nResent-Cc: eve@evil.example');
    const before = sink.messages.length;
    const run = await runCli(
      ['send', out.dir, '--confirm', '--accept-edits', '--smtp', sink.url()],
      { db },
    );
    expect(run.exitCode).toBe(1);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: 3 file(s) do not match their manifest entry: 00001-resent001_example.net.eml (a second To header; send delivers to the one To address only), 00002-resent002_example.net.eml (a Resent-Bcc header; send delivers to the one To address only), 00003-resent003_example.net.eml (a Resent-To header, a Resent-Cc header; send delivers to the one To address only)
        the recipient and invite of a file cannot change, even with --accept-edits: rerun beta-invites render"
    `);
    expect(sink.messages.length).toBe(before);
    expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
  });

  it.runIf(msmtpPath !== undefined)(
    'through msmtp, retries a 451 and records a 550 permanent after one attempt',
    async () => {
      const config = msmtpConfig(sink, fs.mkdtempSync(path.join(db.home, 'msmtp-')));
      const out = await makeOutdir({
        sql: await db.sql(),
        emails: ['later@example.net', 'never@example.net', 'fine@example.net'],
      });
      sink.answer('later@example.net', [451, 250]);
      sink.answer('never@example.net', [550]);
      const run = await runCli(
        ['send', out.dir, '--confirm', '--send-cmd', `msmtp --file=${config}`, '--json'],
        { db },
      );
      expect(run.exitCode, run.stderr).toBe(2);
      expect(sink.attempts.get('later@example.net')).toBe(2);
      expect(sink.receivedBy('later@example.net')).toHaveLength(1);
      expect(sink.attempts.get('never@example.net')).toBe(1);
      const failed = fs
        .readFileSync(path.join(out.dir, 'send-failed.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(
        failed.map(({ email, permanent, attempts }) => ({ email, permanent, attempts })),
      ).toEqual([{ email: 'never@example.net', permanent: true, attempts: 1 }]);
      expect(String(failed[0]?.reason)).toContain('server message: 550');
      const sent = fs.readFileSync(path.join(out.dir, 'sent.jsonl'), 'utf8');
      expect(sent).toContain('later@example.net');
      expect(sent).toContain('fine@example.net');
    },
  );

  it.runIf(msmtpPath !== undefined)(
    'through "msmtp -t", hands each message to its recipient once',
    async () => {
      const config = msmtpConfig(sink, fs.mkdtempSync(path.join(db.home, 'msmtp-')));
      const out = await folder(3, 'dasht');
      for (const args of [`msmtp -t --file=${config}`, `msmtp --read-recipients -C ${config}`]) {
        const again = args.startsWith('msmtp -t') ? out : await folder(3, 'readrcpt');
        const run = await runCli(['send', again.dir, '--confirm', '--send-cmd', args], { db });
        expect(run.exitCode, run.stderr).toBe(0);
        for (const entry of again.entries) {
          expect(sink.attempts.get(entry.email)).toBe(1);
          expect(sink.receivedBy(entry.email)).toHaveLength(1);
          expect(sink.receivedBy(entry.email)[0]?.to).toEqual([entry.email]);
        }
      }
    },
  );
});
