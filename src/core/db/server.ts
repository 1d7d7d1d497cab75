import postgres from 'postgres';
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

/** Opens a client on a PostgreSQL server and checks it answers. */
export async function openServer(url: string, max: number): Promise<Database> {
  const address = parseDatabaseUrl(url);
  const target = clientTarget(url);
  const sql = postgres(target.url, {
    ...clientOptions,
    ...(target.host ? { host: target.host } : {}),
    max,
  });
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
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
