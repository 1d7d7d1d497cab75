import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { makeCohortsOutdir } from '../helpers/cohorts-outdir.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';
import { addresses } from '../helpers/outdir.js';

const db = useTestDatabase();
const sink = useSmtpSink();

function clean(text: string, dir: string): string {
  return normalize(text, { [dir]: 'DIR', [String(sink.port)]: 'PORT' }).replace(
    /in \d+\.\d s \(\d+\.\d\/s\)/g,
    'in N s (N/s)',
  );
}

function ledger(dir: string): string[] {
  const file = path.join(dir, 'sent.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { email: string }).email);
}

/** Addresses the sink received, in order of arrival, for the given prefix. */
function received(prefix: string): string[] {
  return sink.messages.flatMap((m) => m.to).filter((to) => to.startsWith(prefix));
}

async function folder(prefix: string) {
  return makeCohortsOutdir(await db.sql(), {
    creators: addresses(4, `${prefix}-c`),
    press: addresses(3, `${prefix}-p`),
    listeners: addresses(3, `${prefix}-l`),
  });
}

describe('send --limit / --cohort: a canary batch', { timeout: 240_000 }, () => {
  it('shows in the dry run what the canary would send, and writes nothing', async () => {
    const out = await folder('dry');
    const run = await runCli(['send', out.dir, '--limit', '3', '--smtp', sink.url()], { db });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "Dry run: nothing was sent.
        folder       DIR (10 invitation(s) in manifest.jsonl)
        transport    smtp://127.0.0.1:PORT
        approval     not approved: beta-invites review DIR, then beta-invites review DIR --approve --by NAME
        sent before  0
        would send   3:
          dry-c001@example.net
          dry-c002@example.net
          dry-c003@example.net
        held back    7 beyond --limit 3
      To send them for real:
        beta-invites send DIR --confirm --smtp smtp://127.0.0.1:PORT --limit 3"
    `);
    expect(received('dry-')).toEqual([]);
    expect(fs.readdirSync(out.dir).filter((f) => !f.endsWith('.eml'))).toEqual(['manifest.jsonl']);
  });

  it('sends N, says how many remain and how; the plain rerun sends the rest, each once', async () => {
    const out = await folder('can');
    const env = { SMTP_URL: sink.url() };
    const run = await runCli(['send', out.dir, '--limit', '3', '--confirm'], { db, env });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "✅ 3 of 3 sent, 0 failed in N s (N/s) through smtp://127.0.0.1:PORT
         ledger: DIR/sent.jsonl
         not sent yet: 7 (7 beyond --limit 3)
      Send the rest with (what was sent is skipped):
        beta-invites send DIR --confirm"
    `);
    expect(received('can-').sort()).toEqual(out.entries.slice(0, 3).map((e) => e.email));
    expect(ledger(out.dir).sort()).toEqual(out.entries.slice(0, 3).map((e) => e.email));

    const rest = await runCli(['send', out.dir, '--confirm'], { db, env });
    expect(rest.exitCode).toBe(0);
    expect(clean(rest.stdout, out.dir)).toMatchInlineSnapshot(`
      "✅ 7 of 7 sent, 0 failed in N s (N/s) through smtp://127.0.0.1:PORT
         before this run: 3 already sent
         ledger: DIR/sent.jsonl"
    `);
    const all = out.entries.map((e) => e.email).sort();
    expect(received('can-').sort()).toEqual(all);
    expect(ledger(out.dir).sort()).toEqual(all);
    const sql = await db.sql();
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.beta_invites
      where id = any(${out.entries.map((e) => e.inviteId)}::uuid[]) and sent_at is not null`;
    expect(row?.n).toBe(10);
  });

  it('--cohort keeps one label; with --limit, the first N of it; --json says what is left', async () => {
    const out = await folder('coh');
    const env = { SMTP_URL: sink.url() };
    const args = ['send', out.dir, '--cohort', 'press', '--limit', '2', '--confirm', '--json'];
    const run = await runCli(args, { db, env });
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      sent: 2,
      toSend: 2,
      held: { limit: 1, cohort: 7 },
      rest: { count: 8, command: `beta-invites send ${out.dir} --confirm` },
    });
    expect(received('coh-').sort()).toEqual(['coh-p001@example.net', 'coh-p002@example.net']);

    const press = await runCli(['send', out.dir, '--cohort', 'press', '--confirm'], { db, env });
    expect(press.exitCode).toBe(0);
    expect(clean(press.stdout, out.dir)).toMatchInlineSnapshot(`
      "✅ 1 of 1 sent, 0 failed in N s (N/s) through smtp://127.0.0.1:PORT
         before this run: 2 already sent
         ledger: DIR/sent.jsonl
         not sent yet: 7 (7 in cohorts other than press)
      Send the rest with (what was sent is skipped):
        beta-invites send DIR --confirm"
    `);
    const again = await runCli(['send', out.dir, '--cohort', 'press', '--confirm'], { db, env });
    expect(again.exitCode).toBe(0);
    expect(clean(again.stdout, out.dir)).toMatchInlineSnapshot(`
      "✅ Nothing to send of cohort press in DIR: 3 already sent.
         not sent yet: 7 (7 in cohorts other than press)
      Send the rest with (what was sent is skipped):
        beta-invites send DIR --confirm"
    `);
    expect(received('coh-').sort()).toEqual(addresses(3, 'coh-p'));
  });

  it('a batch with a failure offers to retry within the batch, which does not grow', async () => {
    const out = await folder('fail');
    sink.answer('fail-c002@example.net', [550, 250]);
    const env = { SMTP_URL: sink.url() };
    const run = await runCli(['send', out.dir, '--limit', '3', '--confirm'], { db, env });
    expect(run.exitCode).toBe(2);
    expect(clean(run.stdout, out.dir)).toMatchInlineSnapshot(`
      "🟡 2 of 3 sent, 1 failed in N s (N/s) through smtp://127.0.0.1:PORT
         failed: fail-c002@example.net: RCPT TO: 550 No such user here <fail-c002@example.net>
         ledger: DIR/sent.jsonl
         failures: DIR/send-failed.jsonl
      After fixing the cause, retry the failed ones with (what was sent is skipped):
        beta-invites send DIR --confirm --limit 1
         not sent yet: 7 (7 beyond --limit 3)
      Send the rest with (what was sent is skipped):
        beta-invites send DIR --confirm"
    `);
    const retry = await runCli(['send', out.dir, '--confirm', '--limit', '1'], { db, env });
    expect(retry.exitCode).toBe(0);
    expect(received('fail-').sort()).toEqual(out.entries.slice(0, 3).map((e) => e.email));
  });

  /** Runs a refused canary: nothing may reach the sink or be written in the folder. */
  async function refused(prefix: string, flags: string[], code: number): Promise<string> {
    const out = await folder(prefix);
    const run = await runCli(['send', out.dir, ...flags, '--confirm', '--smtp', sink.url()], {
      db,
    });
    expect(run.exitCode).toBe(code);
    expect(run.stdout).toBe('');
    expect(received(`${prefix}-`)).toEqual([]);
    expect(fs.readdirSync(out.dir).filter((f) => !f.endsWith('.eml'))).toEqual(['manifest.jsonl']);
    return normalize(run.stderr);
  }

  it('refuses --limit 0 and --limit ten as usage errors (exit 64)', async () => {
    expect(await refused('zero', ['--limit', '0'], 64)).toMatchInlineSnapshot(`
      "beta-invites: --limit: expected a whole number ≥ 1 (got "0")
        see beta-invites send --help"
    `);
    expect(await refused('ten', ['--limit', 'ten'], 64)).toMatchInlineSnapshot(`
      "beta-invites: --limit: expected a whole number ≥ 1 (got "ten")
        see beta-invites send --help"
    `);
  });

  it('refuses a --cohort label no recipient has (exit 1), naming the labels there are', async () => {
    expect(await refused('typo', ['--cohort', 'journalists'], 1)).toMatchInlineSnapshot(`
      "beta-invites: no recipient of the folder has the cohort label "journalists"
        labels in manifest.jsonl: creators, press, listeners"
    `);
  });
});
