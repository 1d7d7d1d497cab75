import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';
import { addresses, makeOutdir } from '../helpers/outdir.js';
import { fixture } from '../helpers/paths.js';

const db = useTestDatabase();
const sink = useSmtpSink();
const PATTERN = 'bounces+{invite}@example.org';

// A VERP envelope sender names the invite in the address its bounce comes back to.
describe('send --return-path (VERP), read back by bounces', { timeout: 240_000 }, () => {
  it('sends each message from its invite’s address, and bounces attributes the DSN by it', async () => {
    const emails = addresses(3, 'verp');
    const out = await makeOutdir({ sql: await db.sql(), emails });
    const run = await runCli(
      ['send', out.dir, '--confirm', '--smtp', sink.url(), '--return-path', PATTERN],
      { db },
    );
    expect(run.exitCode).toBe(0);
    const envelope = new Map(sink.messages.map((m) => [m.to.join(','), m.from]));
    for (const entry of out.entries) {
      expect(envelope.get(entry.email)).toBe(`bounces+${entry.inviteId}@example.org`);
    }
    // The DSN of the first message: no X-Beta-Invite-Id, only the VERP address.
    const [first] = out.entries;
    if (!first) throw new Error('no manifest entry');
    const dsn = fs
      .readFileSync(fixture('bounces/verp-only.eml'), 'utf8')
      .replaceAll('0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b0a', first.inviteId)
      .replaceAll('jules@example.com', first.email);
    const file = path.join(db.home, 'verp-dsn.eml');
    fs.writeFileSync(file, dsn);
    const read = await runCli(['bounces', file, '--return-path', PATTERN], { db });
    expect(read.exitCode).toBe(0);
    const sql = await db.sql();
    const rows = await sql<{ invite_id: string; kind: string; status: string }[]>`
      select invite_id::text, kind, status from public.beta_invites_bounces`;
    expect(rows).toEqual([{ invite_id: first.inviteId, kind: 'hard', status: '5.1.1' }]);
  });

  it('refuses a pattern without {invite} before sending anything (64)', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'noverp') });
    const before = sink.messages.length;
    const run = await runCli(
      ['send', out.dir, '--confirm', '--smtp', sink.url(), '--return-path', 'bounces@example.org'],
      { db },
    );
    expect(run.exitCode).toBe(64);
    expect(normalize(run.stderr)).toMatchInlineSnapshot(`
      "beta-invites: --return-path must be one address with {invite} once in it (got "bounces@example.org")
        for example --return-path "bounces+{invite}@example.org""
    `);
    expect(sink.messages.length).toBe(before);
    expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
  });
});
