import { UserError } from '../errors.js';

/** Host, port and database of a connection URL, for messages. Never the password. */
export interface ServerAddress {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * The libpq variables that, as for `psql`, name a server: any of them set means the tool
 * uses a server, never the embedded database.
 */
export const LIBPQ_VARIABLES = [
  'PGHOST',
  'PGHOSTADDR',
  'PGPORT',
  'PGDATABASE',
  'PGUSER',
  'PGPASSWORD',
  'PGSSLMODE',
  'PGSERVICE',
] as const;

/** Stands for a server named by `PGSERVICE`, which the tool cannot resolve. */
const SERVICE_MARK = 'pgservice:';

/**
 * The server the libpq variables name, as a URL without the password (postgres.js reads
 * `PGPASSWORD` itself when the URL has none), or undefined when none is set. A socket
 * directory (`PGHOST=/var/run/postgresql`) goes in `?host=`, as in libpq's URLs.
 */
export function libpqUrl(
  env: Readonly<Record<string, string | undefined>>,
): { url: string; from: string[] } | undefined {
  const from = LIBPQ_VARIABLES.filter((name) => (env[name] ?? '').trim() !== '');
  if (from.length === 0) return undefined;
  const get = (name: string) => env[name]?.trim() || undefined;
  const service = get('PGSERVICE');
  if (service) return { url: SERVICE_MARK + service, from };
  const host = get('PGHOST') ?? get('PGHOSTADDR');
  const socketDir = host?.startsWith('/') ? host : undefined;
  const user = get('PGUSER');
  const port = get('PGPORT');
  let url = `postgres://${user ? encodeURIComponent(user) + '@' : ''}`;
  url += `${socketDir || !host ? 'localhost' : host}${port ? ':' + port : ''}`;
  url += `/${encodeURIComponent(get('PGDATABASE') ?? '')}`;
  const query = new URLSearchParams();
  if (socketDir) query.set('host', socketDir);
  const sslmode = get('PGSSLMODE');
  if (sslmode) query.set('sslmode', sslmode);
  return { url: query.size > 0 ? `${url}?${query.toString()}` : url, from };
}

/** Parses a `postgres://` URL, or says clearly why it is not one (without echoing it). */
export function parseDatabaseUrl(url: string): ServerAddress {
  if (url.startsWith(SERVICE_MARK)) {
    throw new UserError(
      `PGSERVICE=${url.slice(SERVICE_MARK.length)} is set, but beta-invites does not read pg_service.conf`,
      {
        hint: "set DATABASE_URL (or PGHOST, PGPORT, PGDATABASE, PGUSER) to that service's server",
      },
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`DATABASE_URL is not a valid URL (${roughHostPort(url)})`, {
      hint: 'expected postgres://HOST:PORT/DATABASE with USER:PASSWORD@ before HOST; percent-encode / @ : # ? in the password',
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UserError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`,
      { hint: 'point it at a PostgreSQL server, or unset it to use the embedded database' },
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(parsed.username);
  const hostParam = parsed.searchParams.get('host');
  return {
    // `?host=` (a socket directory, in libpq's URLs) wins over the authority.
    host: hostParam || parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: database || user || 'postgres',
    user,
  };
}

/**
 * Host and port of a URL that does not parse, read after the last `@` so that no part of
 * the password can be mistaken for them.
 */
function roughHostPort(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme < 0) return 'no postgres:// prefix';
  const rest = url.slice(scheme + 3);
  const authority = rest.slice(rest.lastIndexOf('@') + 1).split(/[/?#]/)[0] ?? '';
  const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  const host = match?.[1] ?? '';
  const port = match?.[2];
  return `host ${host ? JSON.stringify(host) : 'missing'}, port ${port === undefined ? '5432' : JSON.stringify(port)}`;
}

/** "host:port/database", the way every message names a server. */
export function describeAddress(address: ServerAddress): string {
  return `${address.host}:${address.port}/${address.database}`;
}

/** Replaces the password of any URL inside `text` by `***`. */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s]*)(@)/gi, '$1***$3');
}
