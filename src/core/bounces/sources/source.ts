/** One message as a source hands it over. */
export interface RawMessage {
  /** Where it is, for the problem list: a file, `mbox message 3`, `UID 17`. */
  where: string;
  /** Its bytes; null when it is over the size limit (reported, not parsed). */
  raw: Buffer | null;
  size: number;
  /** When it arrived in the mailbox (IMAP internal date, Maildir file time), if known. */
  arrivedAt: Date | null;
}

/** Where bounces are read from: a Maildir, an mbox, .eml files or an IMAP mailbox. */
export interface MessageSource {
  /** How messages name it (an IMAP password is never in it). */
  label: string;
  messages(): AsyncIterable<RawMessage>;
  close(): Promise<void>;
}

/**
 * Bounces are small; one much larger is not a report worth parsing (and could be an
 * attempt to exhaust memory). Such a message is listed as a problem.
 */
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;
