import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cleanEnv, normalize, runCli } from '../helpers/cli.js';
import { dbKind } from '../helpers/database.js';
import { addresses, makeOutdir, type Outdir } from '../helpers/outdir.js';
import { bin } from '../helpers/paths.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';

const CONCURRENCY = 4;
/** Messages in flight at once, the most a crash can repeat: twice the concurrency. */
const WINDOW = 2 * CONCURRENCY;
const db = useTestDatabase();
const sink = useSmtpSink();

/**
 * Starts a real `send --confirm` in the background against the (slowed) sink. Not async:
 * awaiting execa's child would wait for it to end. Release the in-process client first.
 */
function startSend(out: Outdir) {
  return execa(
    process.execPath,
    [bin, 'send', out.dir, '--confirm', '--concurrency', String(CONCURRENCY)],
    {
      cwd: db.home,
      env: cleanEnv({ ...db.env, SMTP_URL: sink.url() }),
      extendEnv: false,
      reject: false,
    },
  );
}

function ledgerIds(out: Outdir): string[] {
  return fs
    .readFileSync(path.join(out.dir, 'sent.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { inviteId: string }).inviteId);
}

function received(out: Outdir): number[] {
  return out.entries.map((e) => sink.receivedBy(e.email).length);
}

// Several runs of the real binary per test: slow on a busy machine.
describe('send survives crashes and stops cleanly', { timeout: 240_000 }, () => {
  it('after a SIGKILL mid-run, a rerun delivers to everyone; duplicates ≤ twice the concurrency', async () => {
    // Slow enough (40 × 300 ms over 2 connections) that the kill lands mid-run on a busy machine.
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(40, 'kill') });
    sink.setDataDelay(300);
    await db.release();
    const child = startSend(out);
    const base = sink.messages.length;
    await sink.waitForMessages(base + 8, 120_000);
    child.kill('SIGKILL');
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    // Let the relay finish what was in flight when the client died.
    await new Promise((r) => setTimeout(r, 500));
    const before = received(out);
    expect(before.some((n) => n === 0)).toBe(true);

    sink.setDataDelay(0);
    const rerun = await runCli(
      ['send', out.dir, '--confirm', '--concurrency', String(CONCURRENCY)],
      {
        db,
        env: { SMTP_URL: sink.url() },
      },
    );
    expect(rerun.exitCode).toBe(0);
    const after = received(out);
    expect(after.every((n) => n >= 1)).toBe(true);
    const duplicates = after.reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(WINDOW);
    expect(new Set(ledgerIds(out)).size).toBe(40);
    expect(ledgerIds(out)).toHaveLength(40);
    const sql = await db.sql();
    const [row] = await sql<{ unsent: number }[]>`
      select count(*) filter (where sent_at is null) as unsent from public.beta_invites
      where id = any(${out.entries.map((e) => e.inviteId)}::uuid[])`;
    expect(row?.unsent).toBe(0);
  });

  it('on SIGTERM finishes what is in flight, records it, exits 130 with how to resume', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(30, 'term') });
    sink.setDataDelay(400);
    await db.release();
    const child = startSend(out);
    const base = sink.messages.length;
    await sink.waitForMessages(base + 3, 120_000);
    child.kill('SIGTERM');
    const stopped = await child;
    expect(stopped.exitCode).toBe(130);
    const summary = stopped.stdout
      .replace(/\d+ of 30 sent/, 'N of 30 sent')
      .replace(/\d+ not sent yet/, 'M not sent yet');
    expect(summary.replaceAll(out.dir, 'DIR')).toMatchInlineSnapshot(`
      "⚪ Interrupted by SIGTERM: N of 30 sent, 0 failed, M not sent yet.
         ledger: DIR/sent.jsonl
      Resume with (what was sent is skipped):
        beta-invites send DIR --confirm --concurrency 4"
    `);
    await new Promise((r) => setTimeout(r, 300));
    // Nothing in flight was lost or left unrecorded: the relay got exactly the ledger.
    const got = received(out);
    const ledger = new Set(ledgerIds(out));
    out.entries.forEach((e, i) => expect(got[i]).toBe(ledger.has(e.inviteId) ? 1 : 0));
    expect(ledger.size).toBeLessThan(30);

    sink.setDataDelay(0);
    const rerun = await runCli(['send', out.dir, '--confirm'], {
      db,
      env: { SMTP_URL: sink.url() },
    });
    expect(rerun.exitCode).toBe(0);
    expect(received(out)).toEqual(out.entries.map(() => 1));
  });

  it('refuses a second send while one is running on the same database', async () => {
    // 100 × 500 ms over 2 connections: still running while the second send starts, waits
    // (on the embedded database, 10 s for the data directory) and fails.
    const busy = await makeOutdir({ sql: await db.sql(), emails: addresses(100, 'busy') });
    const other = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'other') });
    sink.setDataDelay(500);
    await db.release();
    const child = startSend(busy);
    try {
      await sink.waitForMessages(sink.messages.length + 1, 120_000);
      const second = await runCli(['send', other.dir, '--confirm'], {
        db,
        env: { SMTP_URL: sink.url() },
      });
      expect(second.exitCode).toBe(1);
      const message = normalize(second.stderr)
        .replace(/ on \S+ \(advisory/, ' on DB (advisory')
        .replace(/at \S+ is in use by process \d+/, 'at DIR is in use by process PID');
      // The embedded database admits one process; a server admits one send (advisory lock).
      expect(message).toBe(
        dbKind === 'server'
          ? 'beta-invites: another send is running on DB (advisory lock 7418326604 is held)\n' +
              '  wait for it to finish: two at once could email the same person twice'
          : 'beta-invites: the embedded database at DIR is in use by process PID (beta-invites send), still after waiting 10 s\n' +
              '  wait for that command to finish, or stop it; set DATABASE_URL to share a server instead',
      );
      expect(other.entries.map((e) => sink.receivedBy(e.email).length)).toEqual([0, 0]);
    } finally {
      child.kill('SIGTERM');
      expect((await child).exitCode).toBe(130);
      sink.setDataDelay(0);
    }
  });
});
