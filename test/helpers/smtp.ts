import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { root } from './paths.js';

/** One message as the sink received it: the envelope and the DATA bytes (dots unstuffed). */
export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** The user that logged in, if any. */
  user: string | undefined;
  /** Whether the session ran over TLS (smtps:// or after STARTTLS). */
  secure: boolean;
}

/** A scripted answer to RCPT TO: an SMTP code (250 accepts), used in order, the last one repeats. */
export type RcptScript = number[];

export interface SmtpSinkOptions {
  /** Implicit TLS (smtps://) with smtp-server's built-in self-signed certificate. */
  secure?: boolean;
  /** Offer STARTTLS (with the same certificate). Off by default to keep plain tests plain. */
  starttls?: boolean;
  /** Accepted logins; without it any login (or none) is accepted. */
  users?: Record<string, string>;
  /** Delay before answering each DATA (a slow relay), in ms. */
  dataDelayMs?: number;
  /** Connection n (from 1) is turned away with 421 at the greeting when this says so. */
  busy?: (n: number) => boolean;
  /** The login attempt n (from 1) is accepted when this says so (else 535); replaces `users`. */
  login?: (n: number, user: string, pass: string) => boolean;
  /** Keep each message's bytes (default); false only counts them, for load. */
  keep?: boolean;
}

/**
 * A real SMTP server on 127.0.0.1 (port 0) that keeps what it receives, with programmable
 * per-recipient answers. `attempts` counts RCPT TO per address, including refused ones.
 */
export interface SmtpSink {
  port: number;
  messages: SinkMessage[];
  attempts: Map<string, number>;
  /** Connections and login attempts so far. */
  counts: { connections: number; logins: number };
  /** Messages received per recipient address, kept or not. */
  received: Map<string, number>;
  /** Messages received, kept or not. */
  total(): number;
  /** Bytes of DATA received. */
  bytes(): number;
  /** Scripts the RCPT TO answers for one address (case-insensitive). */
  answer(address: string, script: RcptScript): void;
  setDataDelay(ms: number): void;
  /** `smtp://[user:pass@]127.0.0.1:port` (or smtps://). */
  url(auth?: { user: string; pass: string }, query?: string): string;
  /** Messages received for one address. */
  receivedBy(address: string): SinkMessage[];
  /** Resolves when at least `n` messages have arrived. */
  waitForMessages(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function accepts(options: SmtpSinkOptions, n: number, user: string, pass: string): boolean {
  if (options.login) return options.login(n, user, pass);
  return !options.users || options.users[user] === pass;
}

function refusal(text: string, responseCode: number): Error {
  return Object.assign(new Error(text), { responseCode });
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const attempts = new Map<string, number>();
  const received = new Map<string, number>();
  const scripts = new Map<string, RcptScript>();
  const counts = { connections: 0, logins: 0 };
  const totals = { messages: 0, bytes: 0 };
  let dataDelay = options.dataDelayMs ?? 0;
  const serverOptions: SMTPServerOptions = {
    secure: options.secure === true,
    hideSTARTTLS: options.starttls !== true,
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onConnect(_session, callback) {
      const n = ++counts.connections;
      if (!options.busy?.(n)) return callback();
      callback(refusal('Too busy, try again later', 421));
    },
    onAuth(auth, _session, callback) {
      const n = ++counts.logins;
      if (accepts(options, n, auth.username ?? '', auth.password ?? '')) {
        callback(null, { user: auth.username });
      } else {
        callback(refusal('Authentication failed', 535));
      }
    },
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      const n = attempts.get(key) ?? 0;
      attempts.set(key, n + 1);
      const script = scripts.get(key) ?? [250];
      const code = script[Math.min(n, script.length - 1)] ?? 250;
      if (code < 400) return callback();
      const text = code < 500 ? 'Try again later' : 'No such user here';
      callback(refusal(`${text} <${key}>`, code));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        totals.bytes += chunk.length;
        if (options.keep !== false) chunks.push(chunk);
      });
      stream.on('end', () => {
        totals.messages++;
        for (const r of session.envelope.rcptTo) {
          received.set(r.address, (received.get(r.address) ?? 0) + 1);
        }
        if (options.keep === false) return callback();
        const user = session.user as string | undefined;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        setTimeout(() => {
          messages.push({ from, to, raw: Buffer.concat(chunks), user, secure: session.secure });
          callback();
        }, dataDelay);
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const scheme = options.secure ? 'smtps' : 'smtp';
  return {
    port,
    messages,
    attempts,
    counts,
    received,
    total: () => totals.messages,
    bytes: () => totals.bytes,
    answer: (address, script) => scripts.set(address.toLowerCase(), script),
    setDataDelay: (ms) => (dataDelay = ms),
    url: (auth, query) =>
      `${scheme}://${auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : ''}127.0.0.1:${port}${query ? `?${query}` : ''}`,
    receivedBy: (address) =>
      messages.filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase())),
    waitForMessages: async (n, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline)
          throw new Error(`only ${messages.length} of ${n} messages arrived`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What SMTP does to a message on the wire, undone: line endings become CRLF (a bare LF
 * is not allowed in DATA, and nodemailer and msmtp both convert it); dot-stuffing is
 * added by the client and removed by the server, so it does not show. The sink's bytes
 * must equal the file's bytes after this, and nothing else.
 */
export function onTheWire(file: Buffer): Buffer {
  return Buffer.from(file.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

/** The sendmail-compatible test program (see its header). */
export const fakeSendmail = path.join(root, 'test/helpers/bin/fake-sendmail.js');

/** The messages fake-sendmail accepted into `dir`, oldest first. */
export function readSendmailSink(dir: string): SinkMessage[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.eml') && !name.startsWith('.'))
    .sort()
    .map((name) => {
      const meta = JSON.parse(
        fs.readFileSync(path.join(dir, name.replace(/\.eml$/, '.json')), 'utf8'),
      ) as { from: string; to: string[]; args: string[] };
      return {
        from: meta.from,
        to: meta.to,
        raw: fs.readFileSync(path.join(dir, name)),
        user: undefined,
        secure: false,
      };
    });
}

/** The msmtp binary, if installed (.ci/run installs it). */
export const msmtpPath: string | undefined = (() => {
  const found = spawnSync('sh', ['-c', 'command -v msmtp'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
})();

/** An msmtp configuration pointing at the sink (no TLS; a login when given). */
export function msmtpConfig(
  sink: SmtpSink,
  dir: string,
  auth?: { user: string; pass: string },
): string {
  const file = path.join(dir, 'msmtprc');
  const lines = ['defaults', 'tls off', 'account default', 'host 127.0.0.1', `port ${sink.port}`];
  lines.push(
    ...(auth ? ['auth plain', `user ${auth.user}`, `password ${auth.pass}`] : ['auth off']),
  );
  fs.writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
  return file;
}
