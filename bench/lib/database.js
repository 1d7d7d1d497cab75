// The database under test: throw-away databases on a PostgreSQL server
// (BENCH_DATABASE_URL), or copies of a migrated embedded data directory.
import process from 'node:process';
import { URL } from 'node:url';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { ensureStandInUsers } from '../../dist/core/migrations/migrate.js';
import { bin, root } from './config.js';
import { runBin } from './proc.js';

const quiet = { onnotice: () => {}, max: 1 };

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

/** `postgres://user@host:port/db` without a password, for the table's heading. */
export function redact(url) {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/**
 * A source of fresh, migrated, empty databases. `fresh()` resolves with a target
 * `{ env, url?, drop() }`: `env` points the binary at it; `url` is set on a server.
 * `clone(target)` copies a target whose clients have all exited (for runs that must each
 * start from the same filled database).
 */
export async function openBenchDatabase(config) {
  return config.serverUrl ? serverSource(config.serverUrl) : embeddedSource(config.work);
}

async function serverSource(adminUrl) {
  const admin = postgres(adminUrl, quiet);
  const [{ version }] = await admin`select current_setting('server_version') as version`;
  const live = new Set();
  const target = async (create) => {
    const name = `bench_${process.pid}_${randomBytes(4).toString('hex')}`;
    await create(name);
    live.add(name);
    const url = withDatabase(adminUrl, name);
    return {
      name,
      url,
      env: { DATABASE_URL: url },
      drop: async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        live.delete(name);
      },
    };
  };
  return {
    kind: 'server',
    label: `PostgreSQL ${version} server at ${redact(adminUrl)}`,
    async fresh() {
      const created = await target((name) => admin.unsafe(`create database ${name}`));
      const sql = postgres(created.url, quiet);
      try {
        await ensureStandInUsers(sql);
      } finally {
        await sql.end();
      }
      await runBin(bin, ['migrate'], { env: created.env });
      return created;
    },
    clone: (of) => target((name) => admin.unsafe(`create database ${name} template ${of.name}`)),
    async close() {
      for (const name of live) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function embeddedSource(work) {
  const base = fs.mkdtempSync(path.join(work, 'bench-db-'));
  const template = path.join(base, 'template');
  // The binary creates the data directory, the stand-in users table and the schema.
  await runBin(bin, ['migrate'], { env: { BETA_INVITES_HOME: template } });
  const pglite = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  );
  let count = 0;
  const copy = (from) => {
    const home = path.join(base, `run-${++count}`);
    fs.cpSync(path.join(from, 'db'), path.join(home, 'db'), { recursive: true });
    return {
      home,
      // The bench's sends are rehearsals: permitted on the embedded database.
      env: { BETA_INVITES_HOME: home, BETA_INVITES_EMBEDDED: '1' },
      drop: async () => fs.rmSync(home, { recursive: true, force: true }),
    };
  };
  return {
    kind: 'embedded',
    label: `embedded PGlite ${pglite.version} (a copy of a migrated data directory per run)`,
    fresh: async () => copy(template),
    clone: async (of) => copy(of.home),
    async close() {
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
