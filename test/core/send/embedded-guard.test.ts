import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../../src/core/config.js';
import { openDatabase } from '../../../src/core/db/open.js';
import { parseDatabaseUrl } from '../../../src/core/db/url.js';
import { UserError } from '../../../src/core/errors.js';
import { sendDatabaseItem } from '../../../src/core/ops/preflight/database-checks.js';
import { assertSendDatabase, sendDatabaseLine } from '../../../src/core/send/embedded-guard.js';
import { serverUrl } from '../../helpers/database.js';

const embedded = { kind: 'embedded', label: '/srv/beta/.beta-invites/db' } as const;
const server = { kind: 'server', label: 'db.internal:5432/app' } as const;

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('send on the embedded database', () => {
  it('is refused without permission, naming the path and both ways out (exit 1)', () => {
    const error = thrown(() => assertSendDatabase(embedded, false));
    expect(error.exitCode).toBe(1);
    expect(`${error.message}\n${error.hint ?? ''}`).toMatchInlineSnapshot(`
      "refusing to send invitations recorded in the embedded database at /srv/beta/.beta-invites/db: the signup page cannot know their codes
      set DATABASE_URL (or PGHOST…) to the host application's database, or pass --embedded / BETA_INVITES_EMBEDDED=1 for a rehearsal whose codes no signup page knows"
    `);
  });

  it('is allowed with permission, and a server always is', () => {
    expect(() => assertSendDatabase(embedded, true)).not.toThrow();
    expect(() => assertSendDatabase(server, false)).not.toThrow();
  });

  it('the dry run says loudly where a real run would record', () => {
    expect([
      sendDatabaseLine(embedded, false),
      sendDatabaseLine(embedded, true),
      sendDatabaseLine(server, false),
    ]).toMatchInlineSnapshot(`
      [
        "EMBEDDED database at /srv/beta/.beta-invites/db: a real send is refused — set DATABASE_URL (or PGHOST…) to the host application's database, or pass --embedded / BETA_INVITES_EMBEDDED=1 for a rehearsal whose codes no signup page knows",
        "records to the EMBEDDED database at /srv/beta/.beta-invites/db (permitted: a rehearsal; no signup page knows these codes)",
        "records to the server db.internal:5432/app",
      ]
    `);
  });

  it('preflight: 🔴 on the embedded database unless permitted', () => {
    expect([
      sendDatabaseItem(embedded, false),
      sendDatabaseItem(embedded, true),
      sendDatabaseItem(server, false),
    ]).toMatchInlineSnapshot(`
      [
        {
          "detail": "the embedded database at /srv/beta/.beta-invites/db: send --confirm would refuse — set DATABASE_URL (or PGHOST…) to the host application's database, or pass --embedded / BETA_INVITES_EMBEDDED=1 for a rehearsal whose codes no signup page knows",
          "id": "send-database",
          "state": "fail",
          "title": "send database",
        },
        {
          "detail": "the embedded database at /srv/beta/.beta-invites/db, permitted: a rehearsal, no signup page knows its codes",
          "id": "send-database",
          "state": "pass",
          "title": "send database",
        },
        {
          "detail": "the server db.internal:5432/app",
          "id": "send-database",
          "state": "pass",
          "title": "send database",
        },
      ]
    `);
  });
});

describe('libpq variables name a server, as for psql', () => {
  it('any of them set means a server; the URL carries no password', () => {
    const env = {
      PGHOST: 'db.internal',
      PGPORT: '5433',
      PGDATABASE: 'app',
      PGUSER: 'ops',
      PGPASSWORD: 's3cret-pw',
      PGSSLMODE: 'require',
    };
    const settings = readSettings(env, '/srv');
    expect(settings.databaseUrl).toBe('postgres://ops@db.internal:5433/app?sslmode=require');
    expect(settings.databaseFrom).toEqual([
      'PGHOST',
      'PGPORT',
      'PGDATABASE',
      'PGUSER',
      'PGPASSWORD',
      'PGSSLMODE',
    ]);
    expect(JSON.stringify(settings).replaceAll(env.PGPASSWORD, '')).not.toContain('s3cret');
    expect(parseDatabaseUrl(settings.databaseUrl ?? '')).toEqual({
      host: 'db.internal',
      port: 5433,
      database: 'app',
      user: 'ops',
    });
  });

  it('one variable alone is enough (PGDATABASE), and DATABASE_URL wins over them', () => {
    expect(readSettings({ PGDATABASE: 'app' }, '/srv').databaseUrl).toBe(
      'postgres://localhost/app',
    );
    const both = readSettings({ DATABASE_URL: 'postgres://a@b:1/c', PGHOST: 'x' }, '/srv');
    expect([both.databaseUrl, both.databaseFrom]).toEqual(['postgres://a@b:1/c', ['DATABASE_URL']]);
    expect(readSettings({ PGHOST: '  ' }, '/srv').databaseUrl).toBeUndefined();
  });

  it('a socket directory in PGHOST is the host, as libpq reads it', () => {
    const url = readSettings({ PGHOST: '/var/run/postgresql', PGUSER: 'ops' }, '/srv').databaseUrl;
    expect(url).toBe('postgres://ops@localhost/?host=%2Fvar%2Frun%2Fpostgresql');
    expect(parseDatabaseUrl(url ?? '').host).toBe('/var/run/postgresql');
  });

  it('PGSERVICE is refused with a clear line, never the embedded database', () => {
    const settings = readSettings({ PGSERVICE: 'launch' }, '/srv');
    expect(settings.databaseUrl).toBeDefined();
    const error = thrown(() => parseDatabaseUrl(settings.databaseUrl ?? ''));
    expect(`${error.message}\n${error.hint ?? ''}`).toMatchInlineSnapshot(`
      "PGSERVICE=launch is set, but beta-invites does not read pg_service.conf
      set DATABASE_URL (or PGHOST, PGPORT, PGDATABASE, PGUSER) to that service's server"
    `);
  });

  it.skipIf(!serverUrl)('opens the server the libpq variables name', async () => {
    const url = new URL(serverUrl ?? '');
    const env = {
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username),
      PGDATABASE: url.pathname.slice(1),
    };
    const db = await openDatabase(readSettings(env, '/srv'), {
      notice: () => {
        throw new Error('the embedded database was opened');
      },
    });
    try {
      expect(db.kind).toBe('server');
      expect(db.label).toBe(`${env.PGHOST}:${env.PGPORT}/${env.PGDATABASE}`);
      const [row] = await db.sql<{ db: string }[]>`select current_database() as db`;
      expect(row?.db).toBe(env.PGDATABASE);
    } finally {
      await db.close();
    }
  });

  const socketDir = '/var/run/postgresql';
  it.skipIf(!serverUrl || !fs.existsSync(`${socketDir}/.s.PGSQL.5432`))(
    'opens a server through the socket directory PGHOST names',
    async () => {
      const url = new URL(serverUrl ?? '');
      const env = { PGHOST: socketDir, PGUSER: decodeURIComponent(url.username) };
      const db = await openDatabase(readSettings(env, '/srv'), { notice: () => {} });
      try {
        expect([db.kind, db.label]).toEqual(['server', `${socketDir}:5432/${env.PGUSER}`]);
        const [row] = await db.sql<
          { local: boolean }[]
        >`select inet_client_addr() is null as local`;
        expect(row?.local).toBe(true);
      } finally {
        await db.close();
      }
    },
  );
});
