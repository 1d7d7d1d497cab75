import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the relay accepted. */
export interface BusyMessage {
  to: string[];
  raw: Buffer;
}

export interface BusySmtpOptions {
  /** Connection n (from 1) is turned away with 421 at the greeting when this says so. */
  busy?: (n: number) => boolean;
  /** The login attempt n (from 1) is accepted when this says so (else 535). */
  login?: (n: number, user: string, pass: string) => boolean;
}

/**
 * An smtp-server on 127.0.0.1 (port 0) whose greeting and login answers a test scripts:
 * "421 Too busy" on chosen connections, 535 on chosen logins. Keeps what it accepts.
 */
export interface BusySmtp {
  port: number;
  messages: BusyMessage[];
  counts: { connections: number; logins: number };
  url(auth?: { user: string; pass: string }): string;
  close(): Promise<void>;
}

export async function startBusySmtp(options: BusySmtpOptions): Promise<BusySmtp> {
  const messages: BusyMessage[] = [];
  const counts = { connections: 0, logins: 0 };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onConnect(_session, callback) {
      const n = ++counts.connections;
      if (!options.busy?.(n)) return callback();
      callback(Object.assign(new Error('Too busy, try again later'), { responseCode: 421 }));
    },
    onAuth(auth, _session, callback) {
      const n = ++counts.logins;
      const ok = options.login?.(n, auth.username ?? '', auth.password ?? '') ?? true;
      if (ok) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    counts,
    url: (auth) =>
      `smtp://${auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : ''}127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
