import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open.js';
import { refusedUrl } from '../../helpers/http.js';
import { checkOne, stable } from './check.js';
import { useTestDatabase } from '../../helpers/fixtures.js';

const db = useTestDatabase();
beforeAll(async () => {
  const sql = await db.sql();
  await sql`
    insert into public.beta_invites (code, email, cohort, used_at) values
      ('AAAAAAAAAAAAAAA2', 'a@example.com', 'creator-a', now()),
      ('AAAAAAAAAAAAAAA3', 'b@example.com', 'creator-a', now() - interval '1 hour'),
      ('AAAAAAAAAAAAAAA4', 'c@example.com', 'listener-b', null)`;
});

describe('signups gate', () => {
  it('passes when redeemed invites reach min, counting only used_at is not null', async () => {
    expect(stable(await checkOne('signups', { min: 2 }, { sql: () => db.sql() }))).toEqual({
      gate: 'signups',
      state: 'pass',
      detail: '2 redeemed invites (min 2)',
      observed: 2,
    });
  });

  it('fails below min', async () => {
    expect(stable(await checkOne('signups', { min: 3 }, { sql: () => db.sql() }))).toEqual({
      gate: 'signups',
      state: 'fail',
      detail: '2 redeemed invites (min 3)',
      observed: 2,
    });
  });

  it('is ⚪ with the reason when the database is down', async () => {
    const port = new URL(await refusedUrl()).port;
    const down = {
      databaseUrl: `postgres://postgres:hunter2@127.0.0.1:${port}/launch`,
      home: db.home,
    };
    const result = await checkOne(
      'signups',
      { min: 1 },
      {
        sql: async () => (await openDatabase(down, { notice: () => {} })).sql,
      },
    );
    expect(stable(result)).toEqual({
      gate: 'signups',
      state: 'unknown',
      detail: `cannot connect to the database at 127.0.0.1:${port}/launch: connection refused`,
      observed: null,
    });
  });

  it('is ⚪ naming the missing table and the fix', async () => {
    const sql = await db.sql();
    await sql`drop table public.beta_invites cascade`;
    const result = await checkOne('signups', { min: 1 }, { sql: () => db.sql() });
    expect(result.detail).toBe(
      'table public.beta_invites does not exist (run beta-invites migrate)',
    );
    expect(result.state).toBe('unknown');
  });
});
