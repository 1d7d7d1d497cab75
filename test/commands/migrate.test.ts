import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { normalize, runCli } from '../helpers/cli.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('migrate', () => {
  it('is a no-op when everything is applied', async () => {
    const run = await runCli(['migrate'], { db });
    expect(run.exitCode).toBe(0);
    expect(normalize(run.stdout, { [db.home]: 'HOME' })).toMatch(/Nothing to apply/);
    const sql = await db.sql();
    const rows = await sql`select name from public.beta_invites_schema_migrations order by name`;
    expect(rows.map((r) => r.name as string)).toContain('990_beta_invites.sql');
  });
});
