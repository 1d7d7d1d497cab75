import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { UserError } from '../errors.js';
import { clientOptions, sessionSettingsSql, type Database } from './database.js';
import { acquireLockFile } from './lock-file.js';

/** How the host thread answers its start. */
type Started = { port: number } | { error: string };

/**
 * Starts PGlite on `<home>/db` in a worker thread (embedded-host.js), served on
 * 127.0.0.1 (ephemeral port) with pglite-socket, and opens postgres.js on top, so the
 * same code path serves both kinds of database. PGlite multiplexes one backend session:
 * exactly one connection, always.
 */
export async function openEmbedded(home: string): Promise<Database> {
  const dataDir = path.join(home, 'db');
  fs.mkdirSync(home, { recursive: true });
  const release = await acquireLockFile(path.join(home, 'db.lock'), dataDir);
  const host = new Worker(new URL('./embedded-host.js', import.meta.url), {
    workerData: { dataDir, settings: sessionSettingsSql() },
  });
  // A thread that dies takes its socket with it: the client reports the lost connection.
  host.on('error', () => {});
  let running = true;
  host.once('exit', () => (running = false));
  try {
    const started = await new Promise<Started>((resolve, reject) => {
      host.once('message', resolve);
      host.once('exit', (code) => reject(new Error(`the database thread exited (${code})`)));
    });
    if ('error' in started) {
      throw new UserError(`cannot open the embedded database at ${dataDir}: ${started.error}`, {
        hint: 'move the directory aside to start afresh, or set DATABASE_URL',
      });
    }
    const sql = postgres({
      ...clientOptions,
      host: '127.0.0.1',
      port: started.port,
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
          if (running) await stopHost(host);
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    await host.terminate();
    release();
    throw error;
  }
}

/** Asks the host thread to close PGlite (a clean shutdown of the data directory), then ends it. */
async function stopHost(host: Worker): Promise<void> {
  const stopped = new Promise<void>((resolve) => {
    host.on('message', (message) => {
      if (message === 'stopped') resolve();
    });
    host.once('exit', () => resolve());
  });
  host.postMessage('stop');
  await stopped;
  await host.terminate();
}
