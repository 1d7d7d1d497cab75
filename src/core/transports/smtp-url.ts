import { UserError } from '../errors.js';

/** An SMTP relay as given by `--smtp` / `SMTP_URL`. */
export interface SmtpAddress {
  host: string;
  port: number;
  /**
   * smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when offered (and
   * must, to log in to another machine).
   */
  secure: boolean;
  user: string | undefined;
  /** Kept only to log in; never printed. */
  pass: string | undefined;
  /** STARTTLS is mandatory (`?requireTLS=true`). */
  requireTLS: boolean;
  /** Never STARTTLS (`?ignoreTLS=true`). */
  ignoreTLS: boolean;
  /** `?tls.rejectUnauthorized=false`: accept a self-signed certificate (test relays only). */
  rejectUnauthorized: boolean;
  /** `?name=`: the EHLO name. */
  name: string | undefined;
  /**
   * How long the relay may keep silent, in ms, before the attempt fails as transient (and
   * is retried): to connect, to greet, and at any later point (`?connectionTimeout=`,
   * `?greetingTimeout=`, `?socketTimeout=`).
   */
  timeouts: SmtpTimeouts;
  /** The URL with the password replaced by ***: how every message names the relay. */
  label: string;
}

export interface SmtpTimeouts {
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

/** Finite, so that a relay that stalls can only slow a run down, never hang it. */
export const DEFAULT_TIMEOUTS: SmtpTimeouts = {
  connectionTimeout: 30_000,
  greetingTimeout: 30_000,
  socketTimeout: 120_000,
};

const HINT =
  'expected smtp://HOST:587 (STARTTLS) or smtps://HOST:465, with USER:PASSWORD@ before HOST to log in';
const TIMEOUTS = Object.keys(DEFAULT_TIMEOUTS) as (keyof SmtpTimeouts)[];
const PARAMS = ['requireTLS', 'ignoreTLS', 'tls.rejectUnauthorized', 'name', ...TIMEOUTS];

function bool(name: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new UserError(`the SMTP URL's ${name} must be true or false (got "${value}")`, {
    hint: HINT,
  });
}

function millis(name: string, value: string): number {
  const ms = Number(value);
  if (/^\d+$/.test(value) && ms >= 1 && ms <= 3_600_000) return ms;
  throw new UserError(
    `the SMTP URL's ${name} must be a number of milliseconds from 1 to 3600000 (got "${value}")`,
    { hint: HINT },
  );
}

function timeouts(q: URLSearchParams): SmtpTimeouts {
  const given = (name: keyof SmtpTimeouts) => {
    const value = q.get(name);
    return value === null ? DEFAULT_TIMEOUTS[name] : millis(name, value);
  };
  return {
    connectionTimeout: given('connectionTimeout'),
    greetingTimeout: given('greetingTimeout'),
    socketTimeout: given('socketTimeout'),
  };
}

/** Parses an SMTP URL, or says clearly what is wrong with it, never echoing the password. */
export function parseSmtpUrl(text: string): SmtpAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError('the SMTP URL is not a valid URL', { hint: HINT });
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new UserError(
      `the SMTP URL must start with smtp:// or smtps:// (got ${url.protocol}//)`,
      { hint: HINT },
    );
  }
  if (url.hostname === '') throw new UserError('the SMTP URL names no host', { hint: HINT });
  for (const key of url.searchParams.keys()) {
    if (!PARAMS.includes(key)) {
      throw new UserError(`the SMTP URL has an unknown parameter "${key}"`, {
        hint: `known: ${PARAMS.join(', ')}`,
      });
    }
  }
  const q = url.searchParams;
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const pass = url.password ? decodeURIComponent(url.password) : undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    secure,
    user,
    pass,
    requireTLS: bool('requireTLS', q.get('requireTLS') ?? 'false'),
    ignoreTLS: bool('ignoreTLS', q.get('ignoreTLS') ?? 'false'),
    rejectUnauthorized: bool('tls.rejectUnauthorized', q.get('tls.rejectUnauthorized') ?? 'true'),
    name: q.get('name') ?? undefined,
    timeouts: timeouts(q),
    label: `${url.protocol}//${url.username ? `${url.username}${pass === undefined ? '' : ':***'}@` : ''}${url.host}${url.search}`,
  };
}
