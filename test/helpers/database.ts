import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres, { type Sql } from 'postgres';
import { clientOptions, type Database } from '../../src/core/db/database.js';
import { openEmbedded } from '../../src/core/db/embedded.js';
import { defaultMigrationsDir } from '../../src/core/migrations/files.js';
import { ensureStandInUsers, migrate } from '../../src/core/migrations/migrate.js';
import { scratch, templateHome } from './paths.js';

/** `TEST_DATABASE_URL` (a server to create throw-away databases on), if set. */
export const serverUrl = process.env.TEST_DATABASE_URL;
export const dbKind: 'server' | 'embedded' = serverUrl ? 'server' : 'embedded';

/**
 * A fresh database for one test file: a new database on the server, or a copy of the
 * migrated embedded data directory. `sql()` opens it in this process; `release()` closes
 * the in-process client (the embedded directory admits one process: the binary under
 * test opens it next). `env` points the binary at it.
 */
export interface TestDatabase {
  kind: 'server' | 'embedded';
  env: Record<string, string>;
  /** The embedded home, or a scratch folder for the server case. */
  home: string;
  url?: string;
  sql(): Promise<Sql>;
  release(): Promise<void>;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Create the host application's `users` table (server only; embedded always has it). Default true. */
  users?: boolean;
  /** Apply the bundled migrations (server only; embedded is always migrated). Default true. */
  migrated?: boolean;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  fs.mkdirSync(scratch, { recursive: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-test-'));
  return serverUrl ? createOnServer(serverUrl, home, options) : createEmbedded(home);
}

async function createOnServer(
  adminUrl: string,
  home: string,
  options: TestDatabaseOptions,
): Promise<TestDatabase> {
  const name = `bi_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { ...clientOptions, max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const sql = postgres(url, { ...clientOptions, max: 4 });
  if (options.users !== false) await ensureStandInUsers(sql);
  if (options.users !== false && options.migrated !== false) {
    await migrate(sql, {
      dir: defaultMigrationsDir,
      dryRun: false,
      wait: true,
      where: name,
      now: () => performance.now(),
    });
  }
  return {
    kind: 'server',
    env: { DATABASE_URL: url },
    home,
    url,
    sql: () => Promise.resolve(sql),
    release: () => Promise.resolve(),
    drop: async () => {
      await sql.end({ timeout: 1 });
      const admin2 = postgres(adminUrl, { ...clientOptions, max: 1 });
      await admin2.unsafe(`drop database if exists ${name} with (force)`);
      await admin2.end();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

function createEmbedded(home: string): Promise<TestDatabase> {
  fs.cpSync(path.join(templateHome, 'db'), path.join(home, 'db'), { recursive: true });
  let open: Promise<Database> | undefined;
  const release = async () => {
    const db = open;
    open = undefined;
    // An open that failed (the directory busy) has nothing to close.
    if (db)
      await db.then(
        (d) => d.close(),
        () => {},
      );
  };
  const sql = async () => {
    open ??= openEmbedded(home);
    try {
      return (await open).sql;
    } catch (error) {
      open = undefined;
      throw error;
    }
  };
  return Promise.resolve({
    kind: 'embedded',
    // A test's `send --confirm` is a rehearsal: permitted on the embedded database.
    env: { BETA_INVITES_HOME: home, BETA_INVITES_EMBEDDED: '1' },
    home,
    sql,
    release,
    drop: async () => {
      await release();
      fs.rmSync(home, { recursive: true, force: true });
    },
  });
}
