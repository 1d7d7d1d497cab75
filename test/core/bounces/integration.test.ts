import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBounces } from '../../../src/core/bounces/record.js';
import { permanentSendFailures } from '../../../src/core/bounces/send-failures.js';
import { findInvites } from '../../../src/core/ops/lookup.js';
import { attributionReport } from '../../../src/core/ops/report.js';
import { readInviteStates } from '../../../src/core/send/invites-db.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { insertInvites } from '../ops/invites.js';

const T = new Date('2026-12-04T12:00:00Z');
const LATER = new Date('2027-01-30T00:00:00Z');
let db: TestDatabase;
let sql: Sql;
let ids: Record<'ana' | 'anaAgain' | 'bob' | 'cleo' | 'dan', string>;

function bounce(inviteId: string, kind: 'hard' | 'soft', messageId: string) {
  return {
    ...{ inviteId, kind, status: kind === 'hard' ? '5.1.1' : '4.2.2', messageId },
    ...{ diagnostic: 'smtp; 550 5.1.1 no such user', recipient: 'x@example.net' },
    ...{ action: kind === 'hard' ? 'failed' : 'delayed', receivedAt: T },
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  sql = await db.sql();
  const sent = { sentAt: new Date('2026-12-01T00:00:00Z'), expiresAt: LATER };
  const [ana, anaAgain, bob, cleo, dan] = await insertInvites(sql, [
    { email: 'ana@example.net', cohort: 'creator-a', ...sent },
    // The same address in another cohort, not sent yet: send must not try it again.
    { email: 'ANA@example.net', cohort: 'listener-b', expiresAt: LATER },
    { email: 'bob@example.net', cohort: 'creator-a', ...sent },
    { email: 'cleo@example.net', cohort: 'listener-b', expiresAt: LATER },
    { email: 'dan@example.net', cohort: 'listener-b', expiresAt: LATER },
  ]);
  ids = {
    ana: ana?.id ?? '',
    anaAgain: anaAgain?.id ?? '',
    bob: bob?.id ?? '',
    cleo: cleo?.id ?? '',
    dan: dan?.id ?? '',
  };
  await recordBounces(
    sql,
    [
      bounce(ids.ana, 'hard', '<b1@mx>'),
      bounce(ids.ana, 'hard', '<b2@mx>'),
      bounce(ids.bob, 'soft', '<b3@mx>'),
    ],
    false,
  );
});

afterAll(async () => {
  await db.drop();
});

describe('bounces in report, show and send', () => {
  it('report counts invites with a hard bounce once, and failed sends not sent since', async () => {
    const plain = await attributionReport(sql, { asOf: T });
    expect(plain.cohorts.map((r) => [r.cohort, r.bounced, r.failed])).toEqual([
      ['creator-a', 1, 1],
      ['listener-b', 0, 0],
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-failed-'));
    const line = (inviteId: string, permanent: boolean) =>
      JSON.stringify({ inviteId, email: 'x', file: 'f.eml', reason: '550', permanent }) + '\n';
    fs.writeFileSync(
      path.join(dir, 'send-failed.jsonl'),
      line(ids.cleo, true) + line(ids.dan, false) + line(ids.bob, true),
    );
    const sendFailed = permanentSendFailures([dir]);
    const report = await attributionReport(sql, { asOf: T, sendFailed });
    // cleo: permanent failure, never sent; dan: transient only; bob: sent since.
    expect([report.total.bounced, report.total.failed]).toEqual([1, 2]);
    fs.rmSync(dir, { recursive: true });
  });

  it('show lists the bounces of each invite, oldest first', async () => {
    const [invite] = await findInvites(sql, {
      kind: 'code',
      code: await codeOf(ids.bob),
      wellFormed: true,
    });
    expect(invite?.bounces).toEqual([
      {
        receivedAt: T,
        kind: 'soft',
        status: '4.2.2',
        action: 'delayed',
        recipient: 'x@example.net',
        diagnostic: 'smtp; 550 5.1.1 no such user',
        messageId: '<b3@mx>',
      },
    ]);
    const both = await findInvites(sql, { kind: 'email', email: 'ana@example.net' });
    const count = (id: string) => both.find((i) => i.id === id)?.bounces.length;
    expect([count(ids.ana), count(ids.anaAgain)]).toEqual([2, 0]);
  });

  it('send sees a hard-bounced address on every invite of it, whatever the case', async () => {
    const states = await readInviteStates(sql, Object.values(ids), T);
    expect(Object.values(ids).map((id) => states.get(id)?.bounced)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

async function codeOf(id: string): Promise<string> {
  const [row] = await sql<
    { code: string }[]
  >`select code from public.beta_invites where id = ${id}`;
  return row?.code ?? '';
}
