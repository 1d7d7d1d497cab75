import { Readable } from 'node:stream';
import { isTransientError } from 'nodemailer/lib/errors';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpAddress } from './smtp-url.js';

/** An error as SMTPConnection reports it (the parts looked at here). */
interface ConnectionError {
  code?: string;
  responseCode?: number;
}

/** One open connection, and whether it may carry another message. */
interface Lease {
  readonly connection: SMTPConnection;
  messages: number;
  retired: boolean;
}

/** What every connection is opened with: the settings of the SMTP URL. */
export interface ConnectionSettings {
  address: SmtpAddress;
  /** STARTTLS is mandatory (the URL asks for it, or a password must not cross in clear). */
  requireTLS: boolean;
}

function connectionOptions({ address, requireTLS }: ConnectionSettings): SMTPConnection.Options {
  return {
    host: address.host,
    port: address.port,
    secure: address.secure,
    requireTLS,
    ignoreTLS: address.ignoreTLS,
    tls: { rejectUnauthorized: address.rejectUnauthorized },
    name: address.name,
    ...address.timeouts,
  };
}

/**
 * Opens one connection: greeting, EHLO, STARTTLS as the URL says, then the login when the
 * URL has a user and the relay offers AUTH (as nodemailer's pool does). Rejects with
 * SMTPConnection's own error, which says at which step it failed.
 */
export function openConnection(settings: ConnectionSettings): Promise<SMTPConnection> {
  const { address } = settings;
  const connection = new SMTPConnection(connectionOptions(settings));
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      connection.close();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    connection.on('error', fail);
    connection.once('end', () =>
      fail(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' })),
    );
    connection.connect(() => {
      // `fail` stays on as the error listener: once settled it ignores what comes.
      const ready = () => {
        if (settled) return;
        settled = true;
        resolve(connection);
      };
      if (address.user === undefined || !connection.allowsAuth) return ready();
      const credentials = { user: address.user, pass: address.pass ?? '' };
      connection.login({ user: address.user, credentials }, (error) =>
        error ? fail(error) : ready(),
      );
    });
  });
}

/**
 * Up to `size` SMTP connections, opened as messages need them and kept open for the whole
 * run; each carries one message at a time. A message goes to SMTPConnection as it is
 * (the .eml bytes, dot-stuffed on the wire): no MailComposer, no MIME tree per message,
 * which is most of what nodemailer's pool spends on a pre-built message.
 */
export class SmtpConnections {
  private readonly idle: Lease[] = [];
  private readonly waiting: (() => void)[] = [];
  private open = 0;
  private closed = false;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly size: number,
  ) {}

  /**
   * Sends one message and resolves with the relay's answer; rejects with SMTPConnection's
   * error. A connection the relay closed while it sat idle is replaced at once and the
   * message sent on the new one: its bytes never left, so nothing can be doubled.
   */
  async send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<string> {
    for (;;) {
      const lease = await this.take();
      const body = Readable.from([raw], { objectMode: false });
      try {
        const info = await transmit(lease.connection, envelope, body);
        this.giveBack(lease);
        return info.response;
      } catch (error) {
        const reused = lease.messages > 0;
        // nodemailer's own test: the connection broke, or the relay said 421.
        if (reused && !body.readableDidRead && isTransientError(error as ConnectionError)) {
          this.retire(lease);
          continue;
        }
        await this.afterRefusal(lease, error);
        throw error;
      }
    }
  }

  /** Closes every connection; a send still waiting for one is refused. */
  close(): void {
    this.closed = true;
    for (const lease of this.idle.splice(0)) this.retire(lease);
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** An idle connection, a new one while fewer than `size` are open, or the next given back. */
  private async take(): Promise<Lease> {
    for (;;) {
      if (this.closed)
        throw Object.assign(new Error('the transport is closed'), { code: 'ECONNECTION' });
      const lease = this.idle.pop();
      if (lease !== undefined) return lease;
      if (this.open < this.size) return this.openLease();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private async openLease(): Promise<Lease> {
    this.open++;
    let connection: SMTPConnection;
    try {
      connection = await openConnection(this.settings);
    } catch (error) {
      this.open--;
      this.wake();
      throw error;
    }
    const lease: Lease = { connection, messages: 0, retired: false };
    // Closed by the relay (idle timeout, shutdown): forgotten, the next message opens another.
    const lost = () => this.retire(lease);
    connection.on('error', lost);
    connection.once('end', lost);
    return lease;
  }

  /** A refused message leaves a connection usable after RSET; anything else closes it. */
  private async afterRefusal(lease: Lease, error: unknown): Promise<void> {
    const e = error as ConnectionError;
    const refused = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421;
    if (!refused || lease.retired) return this.retire(lease);
    const reset = await new Promise<boolean>((resolve) =>
      lease.connection.reset((failed) => resolve(!failed)),
    );
    if (reset) this.giveBack(lease);
    else this.retire(lease);
  }

  private giveBack(lease: Lease): void {
    lease.messages++;
    if (lease.retired) return;
    if (this.closed) return this.retire(lease);
    this.idle.push(lease);
    this.wake();
  }

  private retire(lease: Lease): void {
    if (lease.retired) return;
    lease.retired = true;
    const at = this.idle.indexOf(lease);
    if (at >= 0) this.idle.splice(at, 1);
    this.open--;
    lease.connection.close();
    this.wake();
  }

  private wake(): void {
    this.waiting.shift()?.();
  }
}

function transmit(
  connection: SMTPConnection,
  envelope: { from: string; to: string[] },
  body: Readable,
): Promise<{ response: string }> {
  return new Promise((resolve, reject) => {
    connection.send(envelope, body, (error, info) =>
      error || info === undefined ? reject(error ?? new Error('no answer')) : resolve(info),
    );
  });
}
