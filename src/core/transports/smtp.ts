import { UserError, errorMessage } from '../errors.js';
import { openConnection, SmtpConnections } from './smtp-connections.js';
import { parseSmtpUrl, type SmtpAddress } from './smtp-url.js';
import type { Delivery, Transport } from './transport.js';

export interface SmtpTransportOptions {
  /** `--smtp` / `SMTP_URL`. */
  url: string;
  /** Pooled connections (one message in flight on each). */
  connections: number;
}

/** The parts of a nodemailer error we look at. */
interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/**
 * A refused message: SMTP 4xx and anything without an SMTP answer (connection refused,
 * reset, timeout) are transient; 5xx are permanent.
 */
export function classifySmtpError(error: unknown): Delivery {
  const e = error as SmtpError;
  const reason =
    e.response !== undefined
      ? `${e.command ? `${e.command}: ` : ''}${e.response}`
      : `${e.code ? `${e.code}: ` : ''}${e.message ?? errorMessage(error)}`;
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
  return { accepted: false, transient: !permanent, reason: reason.replace(/\s+/g, ' ').trim() };
}

/** OpenSSL's "8034…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…" made readable. */
function tlsReason(message: string): string {
  if (/wrong version number/i.test(message)) return 'the server does not speak TLS on this port';
  const openssl = /:SSL routines:[^:]*:([^:]+)/.exec(message);
  return openssl?.[1] ?? message;
}

/**
 * A password for another machine is never sent in clear: without smtps://, STARTTLS is
 * then mandatory (nodemailer would otherwise log in unencrypted to a relay that does not
 * offer it, or behind someone who strips the offer). `?ignoreTLS=true` says otherwise.
 */
export function loginNeedsTls(address: SmtpAddress): boolean {
  const local =
    address.host === 'localhost' || address.host === '::1' || /^127\./.test(address.host);
  return address.pass !== undefined && !address.secure && !address.ignoreTLS && !local;
}

/** The relay did not upgrade to TLS although it had to: say why it had to. */
function noStartTls(where: string, address: SmtpAddress): UserError {
  const hint = "nothing was sent; use the relay's STARTTLS port (usually 587) or smtps://HOST:465";
  if (address.requireTLS) {
    return new UserError(
      `the SMTP server at ${where} does not offer STARTTLS, which the SMTP URL requires (requireTLS=true)`,
      { hint: hint },
    );
  }
  return new UserError(
    `the SMTP server at ${where} does not offer STARTTLS: the password would cross the network in clear`,
    { hint: `${hint} (?ignoreTLS=true sends it in clear anyway: only on a network you trust)` },
  );
}

function tlsError(where: string, message: string): UserError {
  return new UserError(
    `cannot connect to the SMTP server at ${where}: TLS failed (${tlsReason(message)})`,
    {
      hint: 'smtps:// needs a TLS port (465); for a test relay with a self-signed certificate add ?tls.rejectUnauthorized=false',
    },
  );
}

/** Turns a failed verify into one line naming the relay (never its password). */
export function verifyError(error: unknown, address: SmtpAddress): UserError {
  const e = error as SmtpError;
  const where = `${address.host}:${address.port}`;
  const message = (e.message ?? errorMessage(error)).replace(/\s+/g, ' ').trim();
  if (e.code === 'EAUTH') {
    return new UserError(
      `the SMTP server at ${where} refused the login of "${address.user ?? ''}": ${e.response ?? message}`,
      { hint: 'check the user and password in the SMTP URL' },
    );
  }
  if (e.code === 'ETLS' && e.command === 'STARTTLS') return noStartTls(where, address);
  if (e.response !== undefined && e.responseCode !== undefined && e.responseCode < 500) {
    return new UserError(
      `the SMTP server at ${where} is not accepting mail right now: ${e.response}`,
      { hint: 'a temporary refusal, and nothing was sent: run the same command again later' },
    );
  }
  let reason = message;
  if (/ECONNREFUSED/.test(message)) reason = 'connection refused';
  else if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message)) reason = 'host not found';
  else if (/greeting never received/i.test(message))
    reason = `no greeting within ${address.timeouts.greetingTimeout / 1000} s`;
  else if (e.code === 'ETIMEDOUT' || /timeout|timed out/i.test(message)) reason = 'timed out';
  else if (/certificate|SSL|TLS/i.test(message)) return tlsError(where, message);
  return new UserError(`cannot connect to the SMTP server at ${where}: ${reason}`, {
    hint: 'check that the relay is up and that --smtp / SMTP_URL is right',
  });
}

/**
 * SMTP on up to `connections` long-lived connections (no reconnect every 100 messages),
 * each message sent `raw`, byte for byte, with the envelope given.
 */
export function createSmtpTransport(options: SmtpTransportOptions): Transport {
  const address = parseSmtpUrl(options.url);
  const settings = { address, requireTLS: address.requireTLS || loginNeedsTls(address) };
  const connections = new SmtpConnections(settings, options.connections);
  return {
    label: address.label,
    async verify() {
      try {
        (await openConnection(settings)).quit();
      } catch (error) {
        throw verifyError(error, address);
      }
    },
    async send(message) {
      try {
        const envelope = { from: message.from, to: [...message.to] };
        return { accepted: true, response: await connections.send(envelope, message.raw) };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close() {
      connections.close();
      return Promise.resolve();
    },
  };
}
