import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, dbKind } from '../helpers/database.js';
import { addresses, makeOutdir, type Outdir } from '../helpers/outdir.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();
const sink = useSmtpSink();

/** stderr without the embedded database's notice, paths and ports replaced. */
function said(run: CliResult, dir: string): string {
  return normalize(run.stderr, { [dir]: 'DIR', [String(sink.port)]: 'PORT' }).replace(
    /^sending \d+ message\(s\)…\n/m,
    '',
  );
}

/** Nothing was sent and nothing was written into the folder. */
function untouched(out: Outdir, received: number): void {
  expect(sink.messages.length).toBe(received);
  expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
  expect(fs.existsSync(path.join(out.dir, 'send-failed.jsonl'))).toBe(false);
}

async function folder(n: number, prefix: string): Promise<Outdir> {
  return makeOutdir({ sql: await db.sql(), emails: addresses(n, prefix) });
}

// Several runs of the real binary per test: slow on a busy machine.
describe('send refuses', { timeout: 240_000 }, () => {
  it('an edited .eml, naming it, unless --accept-edits (then the new bytes are sent)', async () => {
    const out = await folder(3, 'edit');
    const file = out.file('edit002@example.net');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Bonjour,', 'Bonjour Alice,'));
    const before = sink.messages.length;
    const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(1);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: 1 file(s) changed since render (sha256 differs from manifest.jsonl): 00002-edit002_example.net.eml
        review the changes: rerun beta-invites render to rebuild them, or pass --accept-edits to send them as they are now"
    `);
    expect(run.stdout).toBe('');
    untouched(out, before);

    const dry = await runCli(['send', out.dir, '--smtp', sink.url()], { db });
    expect(dry.exitCode).toBe(1);

    const accepted = await runCli(
      ['send', out.dir, '--confirm', '--accept-edits', '--smtp', sink.url()],
      { db },
    );
    expect(accepted.exitCode).toBe(0);
    expect(sink.receivedBy('edit002@example.net')[0]?.raw.toString()).toContain('Bonjour Alice,');
    const ledger = fs.readFileSync(path.join(out.dir, 'sent.jsonl'), 'utf8');
    expect(ledger).not.toContain(out.entries[1]?.sha256);
  });

  it('a file whose recipient, copies or invite changed, even with --accept-edits', async () => {
    const out = await folder(3, 'swap');
    const edit = (email: string, from: string, to: string) => {
      const file = out.file(email);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
    };
    edit('swap001@example.net', 'To: swap001@example.net', 'To: someone@example.com');
    edit(
      'swap002@example.net',
      'To: swap002@example.net',
      'To: swap002@example.net\r\nBcc: eve@example.com',
    );
    edit(
      'swap003@example.net',
      `X-Beta-Invite-ID: ${out.entries[2]?.inviteId}`,
      `X-Beta-Invite-ID: ${out.entries[0]?.inviteId}`,
    );
    const before = sink.messages.length;
    const run = await runCli(
      ['send', out.dir, '--confirm', '--accept-edits', '--smtp', sink.url()],
      { db },
    );
    expect(run.exitCode).toBe(1);
    const ids = Object.fromEntries(out.entries.map((e, i) => [e.inviteId, `ID${i + 1}`]));
    expect(normalize(said(run, out.dir), ids)).toMatchInlineSnapshot(`
      "beta-invites: 3 file(s) do not match their manifest entry: 00001-swap001_example.net.eml (To is someone@example.com, not swap001@example.net), 00002-swap002_example.net.eml (a Bcc header; send delivers to the one To address only), 00003-swap003_example.net.eml (X-Beta-Invite-Id is ID1, not ID3)
        the recipient and invite of a file cannot change, even with --accept-edits: rerun beta-invites render"
    `);
    untouched(out, before);
  });

  it('a folder where the send logs cannot be written, before sending anything', async () => {
    const out = await folder(2, 'readonly');
    fs.mkdirSync(path.join(out.dir, 'send-failed.jsonl'));
    const before = sink.messages.length;
    const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(1);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: DIR/send-failed.jsonl is not a plain file: send writes its logs only as plain files
        nothing was sent; remove it (rm DIR/send-failed.jsonl) or, if it stands for this folder's real log, put that file there instead, then rerun"
    `);
    expect(sink.messages.length).toBe(before);
    expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
  });

  it('a missing .eml', async () => {
    const out = await folder(2, 'gone');
    fs.rmSync(out.file('gone002@example.net'));
    const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(1);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: 1 file(s) of manifest.jsonl are missing in DIR: 00002-gone002_example.net.eml
        rerun beta-invites render to rebuild them"
    `);
  });

  it('a render --dry-run folder (preview codes), before touching anything', async () => {
    const out = await makeOutdir({ emails: addresses(2, 'preview'), preview: true });
    const before = sink.messages.length;
    const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(1);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: DIR was rendered with --dry-run: its codes are previews, not invitations
        render it for real (beta-invites render COHORT.csv --out DIR), review it, then send"
    `);
    untouched(out, before);
  });

  it('a folder without a manifest, or no folder at all', async () => {
    const out = await folder(1, 'nomanifest');
    fs.rmSync(path.join(out.dir, 'manifest.jsonl'));
    const run = await runCli(['send', out.dir, '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(1);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: DIR/manifest.jsonl is missing or empty
        run beta-invites render first, with --out DIR"
    `);
    const none = await runCli(['send', path.join(out.dir, 'nope'), '--smtp', sink.url()], { db });
    expect(none.exitCode).toBe(1);
    expect(said(none, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: DIR/nope is not a folder
        pass the folder beta-invites render wrote (its --out)"
    `);
  });

  it('invites that are not in this database (another DATABASE_URL)', async () => {
    const out = await makeOutdir({ emails: addresses(2, 'elsewhere') });
    const run = await runCli(['send', out.dir, '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(1);
    expect(said(run, out.dir).replace(/at \S+:/, 'at DATABASE:')).toMatchInlineSnapshot(`
      "beta-invites: 2 invite(s) of the folder are not in the database at DATABASE: elsewhere001@example.net, elsewhere002@example.net
        send with the database render used (DATABASE_URL, or BETA_INVITES_HOME for the embedded one)"
    `);
  });

  it('a bad SMTP URL, a refused connection and a missing command: one line, exit 1', async () => {
    const out = await folder(2, 'transport');
    const before = sink.messages.length;
    const cases = [
      ['--smtp', 'not a url'],
      ['--smtp', 'http://user:hunter22@relay.example.org'],
      ['--smtp', 'smtp://relay.example.org?pool=yes'],
      ['--smtp', 'smtp://user:hunter22@127.0.0.1:1'],
      ['--send-cmd', 'no-such-sendmail-here -t'],
      ['--send-cmd', `msmtp --account='launch`],
    ];
    const results: string[] = [];
    for (const flags of cases) {
      const run = await runCli(['send', out.dir, '--confirm', ...flags], { db });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('hunter22');
      results.push(said(run, out.dir));
    }
    expect(results.join('\n')).toMatchInlineSnapshot(`
      "beta-invites: the SMTP URL is not a valid URL
        expected smtp://HOST:587 (STARTTLS) or smtps://HOST:465, with USER:PASSWORD@ before HOST to log in
      beta-invites: the SMTP URL must start with smtp:// or smtps:// (got http://)
        expected smtp://HOST:587 (STARTTLS) or smtps://HOST:465, with USER:PASSWORD@ before HOST to log in
      beta-invites: the SMTP URL has an unknown parameter "pool"
        known: requireTLS, ignoreTLS, tls.rejectUnauthorized, name, connectionTimeout, greetingTimeout, socketTimeout
      beta-invites: cannot connect to the SMTP server at 127.0.0.1:1: connection refused
        check that the relay is up and that --smtp / SMTP_URL is right
      beta-invites: the send command "no-such-sendmail-here" was not found on PATH
        install it (e.g. apt-get install msmtp), or pass --send-cmd / SEND_CMD, or use --smtp URL
      beta-invites: the send command "msmtp --account='launch" cannot be read: unterminated single quote
        fix --send-cmd or SEND_CMD"
    `);
    untouched(out, before);
  });

  it('conflicting transports and bad flag values (usage, exit 64)', async () => {
    const out = await folder(1, 'usage');
    const runs = [
      await runCli(['send', out.dir, '--smtp', sink.url(), '--send-cmd', 'msmtp'], { db }),
      await runCli(['send', out.dir, '--rate', 'fast'], { db }),
      await runCli(['send', out.dir, '--concurrency', '0', '--retries', '-1'], { db }),
    ];
    expect(runs.map((r) => r.exitCode)).toEqual([64, 64, 64]);
    expect(runs.map((r) => said(r, out.dir)).join('\n')).toMatchInlineSnapshot(`
      "beta-invites: --smtp and --send-cmd cannot be used together
        choose one transport
      beta-invites: --rate: expected N/s, N/m or N/h, e.g. 10/s (got "fast")
        see beta-invites send --help
      beta-invites: --concurrency: expected a whole number from 1 to 100 (got "0"); --retries: expected a whole number from 0 to 20 (got "-1")
        see beta-invites send --help"
    `);
    const both = await runCli(['send', out.dir], {
      db,
      env: { SMTP_URL: sink.url(), SEND_CMD: 'msmtp' },
    });
    expect(both.exitCode).toBe(1);
    expect(said(both, out.dir)).toMatchInlineSnapshot(`
      "beta-invites: both SMTP_URL and SEND_CMD are set
        unset one of them, or choose with --smtp URL or --send-cmd CMD"
    `);
  });

  it('skips, and reports, invites redeemed or expired/revoked since render', async () => {
    const out = await folder(4, 'state');
    const sql = await db.sql();
    const [redeemed, revoked] = out.entries;
    await sql`update public.beta_invites set used_at = now() where id = ${redeemed?.inviteId ?? ''}`;
    await sql`update public.beta_invites set expires_at = now() where id = ${revoked?.inviteId ?? ''}`;
    const dry = await runCli(['send', out.dir, '--smtp', sink.url()], { db });
    expect(dry.exitCode).toBe(0);
    expect(normalize(dry.stdout, { [out.dir]: 'DIR', [String(sink.port)]: 'PORT' }))
      .toMatchInlineSnapshot(`
        "Dry run: nothing was sent.
          folder       DIR (4 invitation(s) in manifest.jsonl)
          transport    smtp://127.0.0.1:PORT
          approval     not approved: beta-invites review DIR, then beta-invites review DIR --approve --by NAME
          sent before  0
          skipped      1 already redeemed, 1 expired or revoked
          would send   2:
            state003@example.net
            state004@example.net
        To send them for real:
          beta-invites send DIR --confirm --smtp smtp://127.0.0.1:PORT"
      `);
    const run = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(0);
    expect(sink.receivedBy('state001@example.net')).toHaveLength(0);
    expect(sink.receivedBy('state002@example.net')).toHaveLength(0);
    expect(sink.receivedBy('state003@example.net')).toHaveLength(1);
  });

  it.runIf(dbKind === 'server')('to start while migrations are pending', async () => {
    const bare = await createTestDatabase({ migrated: false });
    try {
      const out = await makeOutdir({ emails: addresses(1, 'pending') });
      const run = await runCli(['send', out.dir, '--smtp', sink.url()], { db: bare });
      expect(run.exitCode).toBe(1);
      // Other migrations will follow 993: the count and the list's tail are left out.
      const message = said(run, out.dir)
        .replace(/\d+ migration\(s\) pending on \S+:/, 'N migration(s) pending on DATABASE:')
        .replace(/(990_beta_invites\.sql)(, [\w.]+)+/, '$1, …');
      expect(message).toMatchInlineSnapshot(`
        "beta-invites: N migration(s) pending on DATABASE: 990_beta_invites.sql, …
          run beta-invites migrate first"
      `);
    } finally {
      await bare.drop();
    }
  });
});
