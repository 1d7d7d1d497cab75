import { UserError } from '../errors.js';

/** Host, port and database of a connection URL, for messages. Never the password. */
export interface ServerAddress {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Parses a `postgres://` URL, or says clearly why it is not one (without echoing it). */
export function parseDatabaseUrl(url: string): ServerAddress {
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
    host: parsed.hostname || hostParam || 'localhost',
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
