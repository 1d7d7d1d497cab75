import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dbKind, type TestDatabase } from '../../helpers/database.js';

describe(`the tool's database connection (${dbKind})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('names itself, plans each statement for its own parameters, never JIT-compiles', async () => {
    const sql = await db.sql();
    const [row] = await sql<{ name: string; plans: string; jit: string }[]>`
      select current_setting('application_name') as name,
             current_setting('plan_cache_mode') as plans,
             current_setting('jit') as jit`;
    expect(row).toEqual({ name: 'beta-invites', plans: 'force_custom_plan', jit: 'off' });
  });
});
