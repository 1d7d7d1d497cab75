import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, readMigrationFiles } from '../../../src/core/migrations/files.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readMigrationFiles', () => {
  it('reads the bundled migrations in file-name order, starting with the seed schema', () => {
    const files = readMigrationFiles(defaultMigrationsDir);
    expect(files.map((f) => [f.name, f.transactional])).toEqual([
      ['990_beta_invites.sql', true],
      ['991_beta_invites_sent_at.sql', true],
      ['992_beta_invites_email_lookup.sql', true],
      ['993_beta_invites_revocation.sql', true],
      ['994_beta_invites_cohort_prefix.sql', true],
      ['995_beta_invites_bounces.sql', true],
      // DROP INDEX CONCURRENTLY cannot run inside a transaction.
      ['996_beta_invites_code_index.sql', false],
      ['997_beta_invites_report_collect.sql', true],
    ]);
  });

  it('checksums the bytes, ignores other files and honours the no-transaction header', () => {
    fs.writeFileSync(path.join(dir, '002_b.sql'), '-- beta-invites: no-transaction\nselect 2;\n');
    fs.writeFileSync(path.join(dir, '001_a.sql'), 'select 1;\n');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a migration');
    fs.writeFileSync(
      path.join(dir, '003_c.sql'),
      'select 3; -- beta-invites: no-transaction (not a header line)\n',
    );
    const files = readMigrationFiles(dir);
    expect(files.map((f) => [f.name, f.transactional])).toEqual([
      ['001_a.sql', true],
      ['002_b.sql', false],
      ['003_c.sql', true],
    ]);
    expect(files[0]?.sha256).toBe(createHash('sha256').update('select 1;\n').digest('hex'));
  });

  it('says which folder it cannot read', () => {
    expect(() => readMigrationFiles(path.join(dir, 'nope'))).toThrowError(
      `cannot read the migrations folder ${path.join(dir, 'nope')}`,
    );
  });
});
