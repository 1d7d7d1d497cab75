import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { UserError, errorMessage } from '../errors.js';
import { clientOptions, sessionSettingsSql, type Database } from './database.js';
import { acquireLockFile } from './lock-file.js';

/**
 * Starts PGlite on `<home>/db`, serves it on 127.0.0.1 (ephemeral port) with
 * pglite-socket, and opens postgres.js on top, so the same code path serves both kinds of
 * database. PGlite multiplexes one backend session: exactly one connection, always.
 */
export async function openEmbedded(home: string): Promise<Database> {
  const dataDir = path.join(home, 'db');
  fs.mkdirSync(home, { recursive: true });
  const release = acquireLockFile(path.join(home, 'db.lock'), dataDir);
  try {
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-socket'),
    ]);
    const db = await PGlite.create(dataDir).catch((error: unknown) => {
      throw new UserError(
        `cannot open the embedded database at ${dataDir}: ${errorMessage(error)}`,
        1,
        'move the directory aside to start afresh, or set DATABASE_URL',
      );
    });
    // pglite-socket ignores a client's startup parameters; PGlite has one backend
    // session, so setting them on it once holds for every connection.
    await db.exec(sessionSettingsSql());
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const [host, port] = server.getServerConn().split(':');
    const sql = postgres({
      ...clientOptions,
      host: host ?? '127.0.0.1',
      port: Number(port),
      user: 'postgres',
      database: 'postgres',
      max: 1,
    });
    let closed = false;
    return {
      sql,
      kind: 'embedded',
      label: dataDir,
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await sql.end({ timeout: 5 });
          await server.stop();
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
