import { UserError } from '../errors.js';

/** An IMAP mailbox as given by `--imap` / `BOUNCES_IMAP_URL`. */
export interface ImapAddress {
  host: string;
  port: number;
  /** imaps:// (TLS from the first byte); imap:// upgrades with STARTTLS. */
  secure: boolean;
  user: string;
  /** Kept only to log in; never printed. */
  pass: string;
  /** The mailbox, default INBOX. */
  mailbox: string;
  /** STARTTLS is mandatory: `?requireTLS=true`, and always to log in to another machine. */
  requireTLS: boolean;
  /** `?tls.rejectUnauthorized=false`: accept a self-signed certificate (test servers only). */
  rejectUnauthorized: boolean;
  /** ms: to connect, to greet, and of silence later (`?connectionTimeout=`…). */
  timeouts: { connectionTimeout: number; greetingTimeout: number; socketTimeout: number };
  /** The URL with the password replaced by ***: how every message names the mailbox. */
  label: string;
}

const HINT =
  'expected imaps://USER@HOST/INBOX (or imap://… with STARTTLS), the password after USER: (percent-encoded) or in BOUNCES_IMAP_PASSWORD';
const PARAMS = [
  'requireTLS',
  'tls.rejectUnauthorized',
  'connectionTimeout',
  'greetingTimeout',
  'socketTimeout',
];
const DEFAULTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000 };

function bool(name: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new UserError(`the IMAP URL's ${name} must be true or false (got "${value}")`, {
    hint: HINT,
  });
}

function millis(q: URLSearchParams, name: keyof typeof DEFAULTS): number {
  const value = q.get(name);
  if (value === null) return DEFAULTS[name];
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 3_600_000) return Number(value);
  throw new UserError(
    `the IMAP URL's ${name} must be a number of milliseconds from 1 to 3600000 (got "${value}")`,
    { hint: HINT },
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Parses an IMAP URL, or says what is wrong with it without echoing the password. */
export function parseImapUrl(text: string, passwordFromEnv: string | undefined): ImapAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError('the IMAP URL is not a valid URL', { hint: HINT });
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') {
    throw new UserError(
      `the IMAP URL must start with imaps:// or imap:// (got ${url.protocol}//)`,
      {
        hint: HINT,
      },
    );
  }
  if (url.hostname === '') throw new UserError('the IMAP URL names no host', { hint: HINT });
  const unknown = [...url.searchParams.keys()].find((k) => !PARAMS.includes(k));
  if (unknown !== undefined) {
    throw new UserError(`the IMAP URL has an unknown parameter "${unknown}"`, {
      hint: `known: ${PARAMS.join(', ')}`,
    });
  }
  const user = decodeURIComponent(url.username);
  const pass = url.password ? decodeURIComponent(url.password) : passwordFromEnv;
  if (!user || pass === undefined) {
    throw new UserError(`the IMAP URL names no ${user ? 'password' : 'user'}`, { hint: HINT });
  }
  const q = url.searchParams;
  const secure = url.protocol === 'imaps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  const masked = `${url.protocol}//${url.username}${url.password ? ':***' : ''}@${url.host}`;
  return {
    ...{
      host,
      port: url.port ? Number(url.port) : secure ? 993 : 143,
      secure,
      user,
      pass,
      mailbox,
    },
    // A password crosses to another machine only inside TLS.
    requireTLS:
      bool('requireTLS', q.get('requireTLS') ?? 'false') || (!secure && !isLoopback(host)),
    rejectUnauthorized: bool('tls.rejectUnauthorized', q.get('tls.rejectUnauthorized') ?? 'true'),
    timeouts: {
      connectionTimeout: millis(q, 'connectionTimeout'),
      greetingTimeout: millis(q, 'greetingTimeout'),
      socketTimeout: millis(q, 'socketTimeout'),
    },
    label: `${masked}/${encodeURIComponent(mailbox)}${url.search}`,
  };
}
