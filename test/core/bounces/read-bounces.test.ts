import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBounces } from '../../../src/core/bounces/read-bounces.js';
import { openLocalSource } from '../../../src/core/bounces/sources/files.js';
import { MAX_MESSAGE_BYTES } from '../../../src/core/bounces/sources/source.js';
import { compileReturnPath } from '../../../src/core/bounces/verp.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { insertFixtureInvites, writeMaildir, writeMbox } from './fixture-invites.js';

const NOW = new Date('2026-12-04T12:00:00Z');
let db: TestDatabase;
let sql: Sql;
let tmp: string;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = await db.sql();
  await insertFixtureInvites(sql);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-bounces-'));
});

afterAll(async () => {
  await db.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(target: string, options: { dryRun?: boolean; returnPath?: string } = {}) {
  return readBounces(
    {
      source: openLocalSource(target, path.basename(target), MAX_MESSAGE_BYTES),
      returnPath: options.returnPath ? compileReturnPath(options.returnPath) : undefined,
      dryRun: options.dryRun ?? false,
      maxBytes: MAX_MESSAGE_BYTES,
    },
    { sql, clock: () => NOW },
  );
}

async function rows() {
  return sql`
    select right(invite_id::text, 2) as invite, status, kind, action, recipient,
           received_at::text, message_id
    from public.beta_invites_bounces order by invite_id`;
}

describe('readBounces', () => {
  it('records nothing with --dry-run, yet counts what it would', async () => {
    const report = await run(writeMaildir(path.join(tmp, 'dry')), { dryRun: true });
    expect(report.counts).toMatchInlineSnapshot(`
      {
        "alreadyRecorded": 0,
        "bounces": 12,
        "hard": 9,
        "inviteNotFound": 3,
        "notBounce": 2,
        "read": 15,
        "recorded": 9,
        "soft": 1,
        "unknown": 2,
        "unreadable": 1,
      }
    `);
    expect(await rows()).toEqual([]);
  });

  it('records each attributable bounce of a Maildir once, and lists the rest', async () => {
    const maildir = writeMaildir(path.join(tmp, 'Maildir'));
    const report = await run(maildir, { returnPath: 'bounces+{invite}@example.org' });
    expect(report.counts).toMatchInlineSnapshot(`
      {
        "alreadyRecorded": 0,
        "bounces": 12,
        "hard": 9,
        "inviteNotFound": 2,
        "notBounce": 2,
        "read": 15,
        "recorded": 10,
        "soft": 1,
        "unknown": 2,
        "unreadable": 1,
      }
    `);
    expect(report.problems).toMatchInlineSnapshot(`
      [
        {
          "messageId": "<hostile-000f@hostile.example>",
          "problem": "delivery report with no delivery-status part",
          "where": "Maildir/new/176486.M1P1.host",
        },
        {
          "messageId": "<no-invite-id-000c@mx1.example.org>",
          "problem": "invite not found: no X-Beta-Invite-Id in the returned headers, and no address matching bounces+{invite}@example.org",
          "where": "Maildir/cur/176487.M1P1.host:2,S",
        },
        {
          "messageId": "<E1vQx9Z-000XyZ-1a@relay.example.net>",
          "problem": "no status in the report: recorded as unknown for invite 0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b04",
          "where": "Maildir/new/176484.M1P1.host",
        },
        {
          "messageId": "<no-status-0008@old-mta.example.com>",
          "problem": "no status in the report: recorded as unknown for invite 0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b08",
          "where": "Maildir/new/176488.M1P1.host",
        },
        {
          "messageId": "<unknown-invite-000b@mx1.example.org>",
          "problem": "invite not found: 0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5bff is not in this database",
          "where": "Maildir/cur/1764813.M1P1.host:2,S",
        },
      ]
    `);
    expect(await rows()).toMatchInlineSnapshot(`
      Result [
        {
          "action": "failed",
          "invite": "01",
          "kind": "hard",
          "message_id": "<20261201081403.5B1F21C0B3F@mx1.example.org>",
          "received_at": "2026-12-01 08:14:03+00",
          "recipient": "ana.nobody@example.net",
          "status": "5.1.1",
        },
        {
          "action": "failed",
          "invite": "02",
          "kind": "hard",
          "message_id": "<20261201090244.7C1D2E3F41@mx1.example.org>",
          "received_at": "2026-12-01 09:02:44+00",
          "recipient": "bruno.closed@example.com",
          "status": "5.2.1",
        },
        {
          "action": "failed",
          "invite": "03",
          "kind": "hard",
          "message_id": "<E1vQx2A-000AbC-7Z@relay.example.net>",
          "received_at": "2026-12-02 11:20:05+00",
          "recipient": "chloe.gone@example.net",
          "status": "5.1.1",
        },
        {
          "action": "failed",
          "invite": "04",
          "kind": "unknown",
          "message_id": "<E1vQx9Z-000XyZ-1a@relay.example.net>",
          "received_at": "2026-12-02 12:00:00+00",
          "recipient": "dan.slow@example.com",
          "status": null,
        },
        {
          "action": "failed",
          "invite": "05",
          "kind": "hard",
          "message_id": "<5f3c1a2b.0a1b2c3d.google-dsn-0005@mx.google.example>",
          "received_at": "2026-12-03 15:31:12+00",
          "recipient": "emma.typo@gmial.example",
          "status": "5.1.1",
        },
        {
          "action": "failed",
          "invite": "06",
          "kind": "hard",
          "message_id": "<6b0e2f1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b@EX02.corp.example.com>",
          "received_at": "2026-12-03 17:05:22+00",
          "recipient": "felix.left@corp.example.com",
          "status": "5.1.10",
        },
        {
          "action": "delayed",
          "invite": "07",
          "kind": "soft",
          "message_id": "<20261204050010.9A8B7C6D5F@mx1.example.org>",
          "received_at": "2026-12-04 05:00:10+00",
          "recipient": "gina.full@example.net",
          "status": "4.2.2",
        },
        {
          "action": "failed",
          "invite": "08",
          "kind": "unknown",
          "message_id": "<no-status-0008@old-mta.example.com>",
          "received_at": "2026-12-04 08:00:00+00",
          "recipient": "hugo@example.com",
          "status": null,
        },
        {
          "action": "failed",
          "invite": "09",
          "kind": "hard",
          "message_id": "<diag-only-0009@mta.example.com>",
          "received_at": "2026-12-04 08:30:00+00",
          "recipient": "ines@example.com",
          "status": "5.7.1",
        },
        {
          "action": "failed",
          "invite": "0a",
          "kind": "hard",
          "message_id": "<verp-000a@mx9.example.com>",
          "received_at": "2026-12-04 09:00:00+00",
          "recipient": "jules@example.com",
          "status": "5.1.1",
        },
      ]
    `);
    const again = await run(maildir, { returnPath: 'bounces+{invite}@example.org' });
    expect(again.counts.recorded).toBe(0);
    expect(again.counts.alreadyRecorded).toBe(report.counts.recorded);
  });

  it('reads the same messages from an mbox as already recorded', async () => {
    const report = await run(writeMbox(path.join(tmp, 'bounces.mbox')), {
      returnPath: 'bounces+{invite}@example.org',
    });
    expect(report.counts).toMatchInlineSnapshot(`
      {
        "alreadyRecorded": 10,
        "bounces": 12,
        "hard": 9,
        "inviteNotFound": 2,
        "notBounce": 2,
        "read": 15,
        "recorded": 0,
        "soft": 1,
        "unknown": 2,
        "unreadable": 1,
      }
    `);
    expect(report.problems.map((p) => p.where)).toMatchInlineSnapshot(`
      [
        "bounces.mbox, message 7 (line 227)",
        "bounces.mbox, message 8 (line 251)",
        "bounces.mbox, message 5 (line 138)",
        "bounces.mbox, message 9 (line 278)",
        "bounces.mbox, message 14 (line 499)",
      ]
    `);
  });
});
