import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from '../../helpers/smtp.js';

/** A message the relay accepted. */
export interface BusyMessage {
  to: string[];
  raw: Buffer;
}

export type BusySmtpOptions = Pick<SmtpSinkOptions, 'busy' | 'login'>;

/**
 * An smtp-server on 127.0.0.1 (port 0) whose greeting and login answers a test scripts:
 * "421 Too busy" on chosen connections, 535 on chosen logins. Keeps what it accepts.
 */
export type BusySmtp = Pick<SmtpSink, 'port' | 'messages' | 'counts' | 'close'> & {
  url(auth?: { user: string; pass: string }): string;
};

/** The shared `startSmtpSink` with scripted greetings and logins. */
export function startBusySmtp(options: BusySmtpOptions): Promise<BusySmtp> {
  return startSmtpSink(options);
}
