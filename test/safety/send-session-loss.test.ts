import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions } from '../../src/core/db/database.js';
import { OUTDIR } from '../../src/core/outdir/files.js';
import type { ManifestEntry } from '../../src/core/outdir/manifest.js';
import { sentLine } from '../../src/core/send/ledger.js';
import { normalize, runCli } from '../helpers/cli.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/database.js';
import { composeEml, emlName } from '../helpers/outdir.js';
import { startCountingSink, type CountingSink } from './helpers/counting-sink.js';
import { strictJsonLines } from './helpers/folder.js';
import { sleep, startCli, waitFor } from './helpers/process.js';

/**
 * The server ends a confirmed send's database session while it is in full flow (thousands
 * of messages to a real SMTP sink): the run stops with one line and exit 1, every
 * message the relay accepted is in sent.jsonl once, and a rerun sends nobody twice.
 */
const N = 6_000;
let db: TestDatabase;
let sink: CountingSink;
/** The test's own client, under another application_name than the tool's. */
let own: Sql;

beforeAll(async () => {
  if (dbKind !== 'server') return;
  db = await createTestDatabase();
  sink = await startCountingSink();
  own = postgres(db.url ?? '', {
    ...clientOptions,
    max: 2,
    connection: { application_name: 'beta-invites-test' },
  });
});
afterAll(async () => {
  await own?.end({ timeout: 1 });
  await sink?.close();
  await db?.drop();
});

/** A folder of `n` invitations as render leaves it, the rows inserted in one statement. */
async function bigFolder(dir: string, n: number): Promise<ManifestEntry[]> {
  const expiresAt = new Date(Date.now() + 30 * 86_400_000);
  const rows = await own<{ id: string; code: string; email: string }[]>`
    insert into public.beta_invites (code, email, cohort, expires_at)
    select upper(substr(md5(random()::text || i), 1, 16)), 'cut' || i || '@example.net',
           'creator-load', ${expiresAt}
    from generate_series(1, ${n}) as i
    returning id::text, code, email`;
  fs.mkdirSync(dir, { recursive: true });
  const entries: ManifestEntry[] = [];
  for (const [i, row] of rows.entries()) {
    const bytes = await composeEml(row);
    const file = emlName(i, row.email);
    fs.writeFileSync(path.join(dir, file), bytes);
    entries.push({
      email: row.email,
      cohort: 'creator-load',
      inviteId: row.id,
      code: row.code,
      expiresAt: expiresAt.toISOString(),
      file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      line: i + 2,
    });
  }
  fs.writeFileSync(
    path.join(dir, OUTDIR.manifest),
    entries.map((e) => JSON.stringify(e) + '\n').join(''),
  );
  return entries;
}

/** Ends every backend of the tool, if all are idle at this instant; true if it did. */
async function terminateWhileIdle(): Promise<boolean> {
  const rows = await own<{ ended: boolean }[]>`
    with tool as (
      select pid, state from pg_stat_activity
      where application_name = 'beta-invites' and datname = current_database())
    select pg_terminate_backend(pid) as ended from tool
    where not exists (select 1 from tool where state <> 'idle')`;
  return rows.some((r) => r.ended);
}

function ledgerIds(dir: string): string[] {
  const { values, torn } = strictJsonLines(path.join(dir, OUTDIR.sent));
  expect(torn).toBeUndefined();
  return values.map((v) => sentLine.parse(v).inviteId);
}

describe.runIf(dbKind === 'server')(
  'send loses its database session mid-run (server only: TEST_DATABASE_URL)',
  { timeout: 300_000 },
  () => {
    it('exits 1 with one line, the ledger whole; the rerun sends nobody twice', async () => {
      const dir = path.join(db.home, `out-cut-${randomBytes(2).toString('hex')}`);
      const entries = await bigFolder(dir, N);
      const args = ['send', dir, '--confirm', '--smtp', sink.url];
      // Paced, so that the session is idle between two updates of sent_at when it ends.
      const { child } = await startCli([...args, '--rate', '100/s'], { db });
      // Terminated about a second into the sending, while thousands remain.
      expect(await waitFor(() => sink.total() > 0, 60_000)).toBe(true);
      await sleep(1_000);
      // Ended between two queries (all the tool's backends idle): the case where a query on
      // the dead connection would never settle. One in flight fails by itself.
      expect(await waitFor(terminateWhileIdle, 30_000, 1)).toBe(true);
      const result = await child;
      const before = sink.total();
      expect(result.exitCode).toBe(1);
      // The ended backend shows as a closed connection, or as a reset when a write was in
      // flight at that instant: the operator is told the same either way.
      const stderr = normalize(result.stderr)
        .replace(/bi_test_\d+_[0-9a-f]+/g, 'DB')
        .replace(/: connection reset$/m, ': the server closed the connection');
      expect(stderr).toMatchInlineSnapshot(`
          "sending 6000 message(s)…
          beta-invites: lost the connection to the database at 127.0.0.1:5432/DB: the server closed the connection
            every message sent is in the folder's sent.jsonl: rerun the same command to record them and send the rest, none twice"
        `);
      expect(result.stdout).toBe('');
      // Sending stopped with the session.
      expect(before).toBeLessThan(N / 2);
      // Every message the relay accepted is in the ledger, once.
      const ledger = ledgerIds(dir);
      expect(new Set(ledger).size).toBe(ledger.length);
      expect(ledger.length).toBe(before);
      const rerun = await runCli([...args, '--json'], { db, timeout: 240_000 });
      expect(rerun.exitCode, rerun.stderr).toBe(0);
      expect(entries.filter((e) => sink.received.get(e.email) !== 1).map((e) => e.email)).toEqual(
        [],
      );
      expect(sink.total()).toBe(N);
      expect(ledgerIds(dir).sort()).toEqual(entries.map((e) => e.inviteId).sort());
      const [row] = await own<{ unsent: number }[]>`
        select count(*) filter (where sent_at is null)::int as unsent from public.beta_invites
        where cohort = 'creator-load'`;
      expect(row?.unsent).toBe(0);
    });
  },
);
