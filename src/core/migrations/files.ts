import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

/** The migrations shipped with the tool (`<package>/migrations`). */
export const defaultMigrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** A header line that runs the file outside a transaction (e.g. CREATE INDEX CONCURRENTLY). */
const NO_TRANSACTION = /^--\s*beta-invites:\s*no-transaction\s*$/m;

/** One `*.sql` file of the migrations folder. */
export interface MigrationFile {
  name: string;
  sql: string;
  sha256: string;
  transactional: boolean;
}

/** Reads the folder's `*.sql` files in file-name order. */
export function readMigrationFiles(dir: string): MigrationFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.sql'));
  } catch {
    throw new UserError(`cannot read the migrations folder ${dir}`, { hint: 'check --dir' });
  }
  return names.sort().map((name) => {
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    return {
      name,
      sql,
      sha256: createHash('sha256').update(sql).digest('hex'),
      transactional: !NO_TRANSACTION.test(sql),
    };
  });
}
