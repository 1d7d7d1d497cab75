import { setTimeout as delay } from 'node:timers/promises';
import type { Sql } from 'postgres';
import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/open.js';
import { untilAborted } from './abort.js';

const CLOSE_WAIT_MS = 5_000;

/**
 * The signups gate's database over the monitor's life. `prepare` runs before a cycle's
 * gates and `release` after them; `sql` is what the gate queries.
 */
export interface DatabaseSource {
  prepare(signal: AbortSignal): Promise<void>;
  sql(): Promise<Sql>;
  release(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One check: the run's database (`ctx.db()`, closed by main). The embedded one is opened
 * before the gates start: PGlite's start-up is local work that blocks the event loop for
 * about a second, and must not eat into the HTTP gates' timeouts.
 */
export function onceSource(ctx: Pick<Context, 'db' | 'settings'>): DatabaseSource {
  let opened: Promise<Database> | undefined;
  const open = (): Promise<Database> => (opened ??= ctx.db());
  return {
    prepare: async (signal) => {
      if (ctx.settings.databaseUrl) return;
      await untilAborted(open(), signal).catch(() => {});
    },
    sql: async () => (await open()).sql,
    release: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/**
 * A loop on a server: one client for the whole run, reopened after a failed connection.
 * On the embedded database: opened for each cycle and closed right after, so other
 * commands can use the data directory (one process at a time) between checks; when it is
 * busy, the gate says so and the next cycle tries again.
 */
export function watchSource(
  settings: Pick<Context['settings'], 'databaseUrl' | 'home'>,
  notice: (message: string) => void,
): DatabaseSource {
  let noticed = false;
  const options = {
    notice: (m: string) => {
      if (!noticed) notice(m);
      noticed = true;
    },
    max: 1,
  };
  let current: Promise<Database> | undefined;
  const closeCurrent = async (): Promise<void> => {
    const db = current;
    current = undefined;
    // Bounded: a stop must not wait on a database that never finishes opening.
    const closing = db?.then((d) => d.close()).catch(() => {});
    await Promise.race([closing, delay(CLOSE_WAIT_MS, undefined, { ref: false })]);
  };
  if (settings.databaseUrl) {
    return {
      prepare: () => Promise.resolve(),
      sql: async () => {
        current ??= openDatabase(settings, options);
        try {
          return (await current).sql;
        } catch (error) {
          current = undefined; // the next cycle tries to connect again
          throw error;
        }
      },
      release: () => Promise.resolve(),
      close: closeCurrent,
    };
  }
  return {
    prepare: async (signal) => {
      current = openDatabase(settings, options);
      // The signups gate reports a failed open; stopping mid-open still closes it (below).
      await untilAborted(current, signal).catch(() => {});
    },
    sql: async () => (await (current ?? Promise.reject(new Error('database not opened')))).sql,
    release: closeCurrent,
    close: closeCurrent,
  };
}
