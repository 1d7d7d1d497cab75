import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdvisoryLock } from '../../../src/core/db/advisory-lock.js';
import { clientOptions } from '../../../src/core/db/database.js';
import { LOCKS, type AdvisoryLock } from '../../../src/core/db/locks.js';
import { requireMigrated } from '../../../src/core/db/require-migrated.js';
import { withTransaction } from '../../../src/core/db/transaction.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../../helpers/database.js';
import { failure } from '../../helpers/failure.js';

/** A lock of the tests' own, so that no run of the tool can be disturbed by them. */
const TEST_LOCK: AdvisoryLock = { key: 7_418_326_699, name: 'test run' };
const options = { where: 'DB', hint: 'let it finish' };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const sql = await db.sql();
  await sql`create table public.toolkit_rows (n int)`;
});
afterAll(async () => {
  await db?.drop();
});

/** Advisory locks granted to any session of this database, by key (one-key locks). */
async function heldKeys(sql: Sql): Promise<number[]> {
  const rows = await sql<{ key: string }[]>`
    select ((classid::bigint << 32) + objid::bigint)::text as key from pg_locks
    where locktype = 'advisory' and granted and objsubid = 1
      and database = (select oid from pg_database where datname = current_database())`;
  return rows.map((r) => Number(r.key));
}

describe(`the lock registry`, () => {
  it('keeps every key the tool has always used, none twice', () => {
    expect(Object.values(LOCKS).map((l) => `${l.name}=${l.key}`)).toMatchInlineSnapshot(`
      [
        "migrate=7418326601",
        "sweep=7418326603",
        "send=7418326604",
      ]
    `);
    expect(new Set(Object.values(LOCKS).map((l) => l.key)).size).toBe(3);
  });
});

describe(`withAdvisoryLock (${dbKind})`, () => {
  it('holds the lock on the connection it gives, and releases it after', async () => {
    const sql = await db.sql();
    const inside = await withAdvisoryLock(sql, TEST_LOCK, (conn) => heldKeys(conn), options);
    expect(inside).toEqual([TEST_LOCK.key]);
    expect(await heldKeys(sql)).toEqual([]);
  });

  it('releases the lock when fn throws, and passes the error on', async () => {
    const sql = await db.sql();
    const run = withAdvisoryLock(
      sql,
      TEST_LOCK,
      async (conn) => {
        await conn`select 1`;
        throw new Error('boom');
      },
      options,
    );
    await expect(run).rejects.toThrow('boom');
    expect(await heldKeys(sql)).toEqual([]);
    // And the next caller gets it.
    expect(await withAdvisoryLock(sql, TEST_LOCK, () => Promise.resolve('again'), options)).toBe(
      'again',
    );
  });
});

describe.runIf(dbKind === 'server')(
  'withAdvisoryLock against another session (server only: the embedded database has one session, where advisory locks are re-entrant, and its data-directory lock keeps a second process out)',
  () => {
    let other: Sql;
    beforeAll(() => {
      other = postgres(db.url ?? '', { ...clientOptions, max: 1 });
    });
    afterAll(async () => {
      await other?.end({ timeout: 1 });
    });

    it('refuses a second caller at once, with the message, and runs nothing', async () => {
      const sql = await db.sql();
      await other`select pg_advisory_lock(${LOCKS.send.key}::bigint)`;
      let ran = false;
      try {
        const message = await failure(
          withAdvisoryLock(sql, LOCKS.send, () => Promise.resolve((ran = true)), {
            where: 'DB',
            hint: 'wait for it to finish: two at once could email the same person twice',
          }),
        );
        expect(message).toMatchInlineSnapshot(
          `"1: another send is running on DB (advisory lock 7418326604 is held) | wait for it to finish: two at once could email the same person twice"`,
        );
        expect(ran).toBe(false);
      } finally {
        await other`select pg_advisory_unlock(${LOCKS.send.key}::bigint)`;
      }
    });

    it('in wait mode, runs fn once the holder lets go', async () => {
      const sql = await db.sql();
      await other`select pg_advisory_lock(${TEST_LOCK.key}::bigint)`;
      let released = false;
      const waiting = withAdvisoryLock(sql, TEST_LOCK, () => Promise.resolve(released), {
        ...options,
        wait: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      released = true;
      await other`select pg_advisory_unlock(${TEST_LOCK.key}::bigint)`;
      expect(await waiting).toBe(true);
      expect(await heldKeys(sql)).toEqual([]);
    });

    it('in wait mode, an abort ends the wait as interrupted', async () => {
      const sql = await db.sql();
      await other`select pg_advisory_lock(${TEST_LOCK.key}::bigint)`;
      try {
        const abort = new AbortController();
        setTimeout(() => abort.abort(new Error('SIGINT')), 300);
        const message = await failure(
          withAdvisoryLock(sql, TEST_LOCK, () => Promise.resolve(), {
            ...options,
            wait: true,
            signal: abort.signal,
          }),
        );
        expect(message).toMatchInlineSnapshot(
          `"130: interrupted while waiting for another test run on DB | nothing was changed"`,
        );
      } finally {
        await other`select pg_advisory_unlock(${TEST_LOCK.key}::bigint)`;
      }
    });
  },
);

describe(`withTransaction (${dbKind})`, () => {
  const count = async (sql: Sql) => {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.toolkit_rows`;
    return row?.n;
  };

  it('commits on a pool when fn returns, rolls back when it throws', async () => {
    const sql = await db.sql();
    await withTransaction(sql, (tx) => tx`insert into public.toolkit_rows values (1)`);
    const run = withTransaction(sql, async (tx) => {
      await tx`insert into public.toolkit_rows values (2)`;
      throw new Error('boom');
    });
    await expect(run).rejects.toThrow('boom');
    expect(await count(sql)).toBe(1);
  });

  it('does the same on the connection holding a lock (no sql.begin there)', async () => {
    const sql = await db.sql();
    const run = withAdvisoryLock(
      sql,
      TEST_LOCK,
      (conn) =>
        withTransaction(conn, async (tx) => {
          await tx`insert into public.toolkit_rows values (3)`;
          throw new Error('boom');
        }),
      options,
    );
    await expect(run).rejects.toThrow('boom');
    expect(await count(sql)).toBe(1);
    await withAdvisoryLock(
      sql,
      TEST_LOCK,
      (conn) => withTransaction(conn, (tx) => tx`insert into public.toolkit_rows values (4)`),
      options,
    );
    expect(await count(sql)).toBe(2);
    expect(await heldKeys(sql)).toEqual([]);
  });
});

describe(`requireMigrated (${dbKind})`, () => {
  it('passes on a migrated database', async () => {
    const sql = await db.sql();
    await expect(requireMigrated({ sql, label: 'DB' })).resolves.toBeUndefined();
  });

  it.runIf(dbKind === 'server')(
    'names the database and the pending files (server only: the embedded database migrates itself)',
    async () => {
      const bare = await createTestDatabase({ migrated: false });
      try {
        const message = await failure(requireMigrated({ sql: await bare.sql(), label: 'DB' }));
        expect(message.replace(/\d{3}_[a-z0-9_]+\.sql/g, 'F')).toMatch(
          /^1: \d+ migration\(s\) pending on DB: F(, F)* \| run beta-invites migrate first$/,
        );
      } finally {
        await bare.drop();
      }
    },
  );
});
