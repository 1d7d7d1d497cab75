import postgres, { type Sql } from 'postgres';
import { UserError, errnoCode } from '../errors.js';
import { clientOptions, type Database } from './database.js';
import { describeAddress, parseDatabaseUrl, type ServerAddress } from './url.js';

/** Turns a connection failure into one line naming host and port, never the password. */
export function connectionError(error: unknown, address: ServerAddress): UserError {
  const where = describeAddress(address);
  const code = errnoCode(error);
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found',
    ETIMEDOUT: 'timed out',
    CONNECT_TIMEOUT: 'timed out',
    ECONNRESET: 'connection reset',
    '28P01': `password authentication failed for user "${address.user}"`,
    '28000': `authentication rejected for user "${address.user}"`,
    '3D000': `database "${address.database}" does not exist`,
  };
  const reason = (code && reasons[code]) ?? 'connection failed';
  return new UserError(`cannot connect to the database at ${where}: ${reason}`, {
    hint: 'check that the server is running and DATABASE_URL is right',
  });
}

/**
 * The URL and options for postgres.js. A socket directory in `?host=` (libpq's URL form,
 * and what PGHOST=/dir becomes) is an option: postgres.js would send it to the server as
 * a setting.
 */
function clientTarget(url: string): { url: string; host?: string } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host');
  if (!host) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), host };
}

/** How long the one-off connection that reads the array types may take per statement. */
const TYPES_TIMEOUT_MS = 10_000;

/** postgres.js's internals that hold the array types it fetched. */
interface TypeTables {
  parsers: Record<number, unknown>;
  serializers: Record<number, unknown>;
  shared: { typeArrayMap: Record<number, number> };
}

/**
 * Reads the server's array types on a connection of its own, checks the server answers,
 * and gives the types to `sql`, whose connections then never fetch them. postgres.js
 * 3.4.9 fetches them on each new connection and, when that query fails (a
 * statement_timeout shorter than it, set for the role or database), rejects a promise
 * nothing handles: the process died before any command could say what happened. Here
 * the query gets its own timeout, and its failure is an ordinary connection error.
 */
async function loadTypes(url: string, sql: Sql): Promise<void> {
  const connection = { ...clientOptions.connection, statement_timeout: TYPES_TIMEOUT_MS };
  const target = clientTarget(url);
  const probe = postgres(target.url, {
    ...clientOptions,
    ...(target.host ? { host: target.host } : {}),
    max: 1,
    connection,
  });
  try {
    await probe`select 1`;
    const from = probe.options as unknown as TypeTables;
    const to = sql.options as unknown as TypeTables;
    Object.assign(to.parsers, from.parsers);
    Object.assign(to.serializers, from.serializers);
    Object.assign(to.shared.typeArrayMap, from.shared.typeArrayMap);
  } finally {
    await probe.end({ timeout: 0 }).catch(() => {});
  }
}

/** Opens a client on a PostgreSQL server and checks it answers. */
export async function openServer(url: string, max: number): Promise<Database> {
  const address = parseDatabaseUrl(url);
  const target = clientTarget(url);
  const sql = postgres(target.url, {
    ...clientOptions,
    ...(target.host ? { host: target.host } : {}),
    max,
    fetch_types: false,
  });
  try {
    await loadTypes(url, sql);
  } catch (error) {
    throw connectionError(error, address);
  }
  let closed = false;
  return {
    sql,
    kind: 'server',
    label: describeAddress(address),
    close: async () => {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}
