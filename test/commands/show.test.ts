import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { manifestOf, senderEnv } from '../helpers/render.js';
import { insertInvites } from '../core/ops/invites.js';
import { useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();
let out: string;
let ana: { code: string; inviteId: string; file: string };
let old: { code: string };

// One render by the real binary (operator recorded), one older invite of the same person
// inserted by hand (expired, revoked), and a ledger line as `send` writes it plus a field
// this version does not know.
beforeAll(async () => {
  const sql = await db.sql();
  await sql`insert into public.users (email) values ('ops@example.org')`;
  [old] = (await insertInvites(sql, [
    {
      email: 'ana@example.org',
      cohort: 'press-music',
      createdAt: new Date('2026-01-02T09:00:00Z'),
      expiresAt: new Date('2026-01-03T10:00:00Z'),
      revokedAt: new Date('2026-01-03T10:00:00Z'),
    },
  ])) as [{ id: string; code: string }];
  await sql`update public.beta_invites set revoke_reason = 'wrong cohort' where code = ${old.code}`;
  fs.writeFileSync(
    path.join(db.home, 'cohort.csv'),
    'email,cohort\nana@example.org,creator-vinyl\nbob@example.org,listener-jazz\n',
  );
  out = path.join(db.home, 'out');
  const render = await runCli(
    ['render', 'cohort.csv', '--out', 'out', '--sent-by', 'ops@example.org', '--force'],
    { db, env: senderEnv },
  );
  expect(render.exitCode).toBe(0);
  const entry = manifestOf(out).find((e) => e.email === 'ana@example.org');
  if (!entry) throw new Error('render wrote no manifest line for ana');
  ana = entry;
  const line = {
    inviteId: ana.inviteId,
    email: 'ana@example.org',
    file: ana.file,
    sha256: 'f'.repeat(64),
    transport: 'smtp://relay.example.org:587',
    response: '250 2.0.0 queued as 4F2A',
    at: '2026-05-01T10:05:00.000Z',
    relayId: 'later-field',
  };
  fs.writeFileSync(path.join(out, 'sent.jsonl'), JSON.stringify(line) + '\n');
});

const clean = (text: string) =>
  normalize(text, { [ana.code]: 'NEWCODE', [ana.inviteId]: 'INVITE-ID', [db.home]: 'HOME' })
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, 'DATE')
    .replace(/"(expiresAt|sha256)":"[^"]*"/g, '"$1":"…"');

describe('show', () => {
  it('lists every invite of an address (any case), with the files of a render folder', async () => {
    const run = await runCli(['show', 'ANA@Example.org', '--out', 'out'], { db });
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout).replace(old.code, 'OLDCODE')).toMatchInlineSnapshot(`
      "2 invites for ANA@Example.org (as of DATE):

      OLDCODE  revoked  cohort press-music
        email       ana@example.org
        created     DATE (no operator recorded)
        sent        not sent (no sent_at)
        expires     DATE
        redeemed    not redeemed
        revoked     DATE (reason: wrong cohort)
        eml         not in this folder's manifest.jsonl

      NEWCODE  pending  cohort creator-vinyl
        email       ana@example.org
        created     DATE by ops@example.org
        sent        not sent (no sent_at)
        expires     DATE
        redeemed    not redeemed
        eml         out/00001-ana_example.org.eml
        manifest    {"email":"ana@example.org","cohort":"creator-vinyl","inviteId":"INVITE-ID","code":"NEWCODE","expiresAt":"…","file":"00001-ana_example.org.eml","sha256":"…","line":2}
        sent.jsonl  {"inviteId":"INVITE-ID","email":"ana@example.org","file":"00001-ana_example.org.eml","sha256":"…","transport":"smtp://relay.example.org:587","response":"250 2.0.0 queued as 4F2A","at":"2026-05-01T10:05:00.000Z","relayId":"later-field"}"
    `);
  });

  it('finds a code typed in lower case with dashes and spaces; --json keeps unknown ledger fields', async () => {
    const typed = ana.code.toLowerCase().replace(/(.{4})(?!$)/g, '$1- ');
    const run = await runCli(['show', typed, '--out', 'out', '--json'], { db });
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as {
      invites: {
        code: string;
        state: string;
        sentBy: { email: string };
        files: { sent: { relayId: string }[]; eml: unknown };
      }[];
    };
    expect(result.invites).toHaveLength(1);
    const [invite] = result.invites;
    expect(invite?.code).toBe(ana.code);
    expect(invite?.state).toBe('pending');
    expect(invite?.sentBy.email).toBe('ops@example.org');
    expect(invite?.files.sent[0]?.relayId).toBe('later-field');
    expect(invite?.files.eml).toEqual({
      path: path.join('out', ana.file),
      exists: true,
      matchesManifest: true,
    });
  });

  it('says when the .eml was edited or removed since render', async () => {
    const file = path.join(out, ana.file);
    const bytes = fs.readFileSync(file);
    try {
      fs.appendFileSync(file, 'edited');
      const edited = await runCli(['show', ana.code, '--out', 'out'], { db });
      expect(edited.stdout).toContain(
        `${path.join('out', ana.file)} (edited since render: sha256 differs from the manifest)`,
      );
      fs.rmSync(file);
      const missing = await runCli(['show', ana.code, '--out', 'out'], { db });
      expect(missing.stdout).toContain(`${path.join('out', ana.file)} (missing)`);
    } finally {
      fs.writeFileSync(file, bytes);
    }
  });

  it('exits 1 when nothing matches, saying what to check', async () => {
    const code = await runCli(['show', 'ABCD-EFGH-JKMN-PQRS'], { db });
    expect([code.exitCode, code.stdout, code.stderr.split('\n').slice(-2)]).toMatchInlineSnapshot(`
      [
        1,
        "",
        [
          "beta-invites: no invite found with code ABCDEFGHJKMNPQRS",
          "  codes are matched without case, spaces or dashes; check it with the recipient",
        ],
      ]
    `);
    const email = await runCli(['show', 'nobody@example.org'], { db });
    expect([email.exitCode, email.stdout, email.stderr.split('\n').slice(-2)])
      .toMatchInlineSnapshot(`
      [
        1,
        "",
        [
          "beta-invites: no invite found for nobody@example.org",
          "  addresses are matched without case; beta-invites sweep anonymises invites long expired and never redeemed",
        ],
      ]
    `);
    const typo = await runCli(['show', 'hello'], { db });
    expect([typo.exitCode, typo.stderr.split('\n').slice(-2)]).toMatchInlineSnapshot(`
      [
        1,
        [
          "beta-invites: no invite found with code HELLO",
          "  HELLO is not an invite code: 16 letters and digits, without 0, 1, I or L",
        ],
      ]
    `);
  });

  it('refuses an empty argument (64) and a folder that is not a render folder (1)', async () => {
    const empty = await runCli(['show', ' - '], { db });
    expect([empty.exitCode, empty.stdout, empty.stderr]).toMatchInlineSnapshot(`
      [
        64,
        "",
        "beta-invites: expected an invite code or an email address
        for example: beta-invites show ABCD-EFGH-JKMN-PQRS",
      ]
    `);
    const folder = await runCli(['show', 'ana@example.org', '--out', '.'], { db });
    expect([folder.exitCode, folder.stdout, clean(folder.stderr)]).toMatchInlineSnapshot(`
      [
        1,
        "",
        "beta-invites: HOME/manifest.jsonl is missing or empty
        --out takes a folder written by beta-invites render",
      ]
    `);
  });
});
