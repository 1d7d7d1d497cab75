/** One message to hand to a transport: the exact bytes and the envelope. */
export interface OutgoingMessage {
  /** The .eml bytes, unchanged. */
  raw: Buffer;
  /** Envelope sender (MAIL FROM / `-f`), from the message's From header. */
  from: string;
  /** Envelope recipients (RCPT TO), from the message's To header. */
  to: readonly string[];
}

/**
 * What a transport did with one message: accepted (with the relay's answer), or refused,
 * transiently (worth retrying: SMTP 4xx, connection trouble, exit 75) or permanently.
 */
export type Delivery =
  { accepted: true; response: string } | { accepted: false; transient: boolean; reason: string };

/** A way to hand messages to the mail system (a sendmail-compatible command, or SMTP). */
export interface Transport {
  /** How every message names it; never contains a password. */
  readonly label: string;
  /**
   * Checks that sending can work at all before anything is sent (the command exists, the
   * SMTP server answers and accepts the login); throws a UserError otherwise.
   */
  verify(): Promise<void>;
  /** Sends one message; never throws for a refused message, only returns the outcome. */
  send(message: OutgoingMessage): Promise<Delivery>;
  /** Releases connections; waits for nothing else. */
  close(): Promise<void>;
}
