import { describe, expect, it } from 'vitest';
import { createSentAtWriter } from '../../../src/core/send/invites-db.js';
import { insertInvites, useTestDatabase } from '../../helpers/fixtures.js';

const db = useTestDatabase();
const T = new Date('2026-12-05T10:00:00.000Z');

async function invites(prefix: string, n: number): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    email: `${prefix}${i}@example.org`,
    cohort: 'creator-x',
    expiresAt: new Date('2027-01-01T00:00:00Z'),
  }));
  return (await insertInvites(await db.sql(), rows)).map((r) => r.id);
}

async function sentAts(ids: string[]): Promise<(string | null)[]> {
  const sql = await db.sql();
  const rows = await sql<{ id: string; sent_at: Date | null }[]>`
    select id::text, sent_at from public.beta_invites where id = any(${ids}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.id, r.sent_at?.toISOString() ?? null]));
  return ids.map((id) => byId.get(id) ?? null);
}

describe('the sent_at writer', () => {
  it('gathers messages accepted one by one into one update, and drain sends it at once', async () => {
    const ids = await invites('one-by-one', 20);
    const writer = createSentAtWriter(await db.sql(), new AbortController().signal, () => {});
    // As a run at --concurrency 1 marks them: one id at a time, each at its own instant.
    for (const [i, id] of ids.entries()) {
      writer.mark([id], new Date(T.getTime() + i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const started = performance.now();
    await writer.drain();
    // Drain does not wait out the gathering delay (100 ms).
    expect(performance.now() - started).toBeLessThan(100);
    // One update: every row has the batch's latest acceptance instant.
    expect(new Set(await sentAts(ids))).toEqual(new Set(['2026-12-05T10:00:00.019Z']));
  });

  it('records marks within the gathering delay without a drain', async () => {
    const ids = await invites('in-time', 3);
    const writer = createSentAtWriter(await db.sql(), new AbortController().signal, () => {});
    writer.mark(ids, T);
    const deadline = Date.now() + 5_000;
    let seen = await sentAts(ids);
    while (seen.includes(null) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await sentAts(ids);
    }
    expect(seen).toEqual(ids.map(() => T.toISOString()));
  });

  it('never overwrites a sent_at another run set', async () => {
    const [id = ''] = await invites('already', 1);
    const sql = await db.sql();
    await sql`update public.beta_invites set sent_at = ${T} where id = ${id}::uuid`;
    const writer = createSentAtWriter(sql, new AbortController().signal, () => {});
    writer.mark([id], new Date(T.getTime() + 60_000));
    await writer.drain();
    expect(await sentAts([id])).toEqual([T.toISOString()]);
  });
});
