import path from 'node:path';
import { z } from 'zod';
import { UserError, errorMessage } from '../errors.js';
import { DamagedLineError, OUTDIR, readJsonLines } from '../outdir/files.js';
import { assertPlainLog } from './no-follow.js';

/** One line of `DIR/sent.jsonl`: a message the transport accepted, durable before it counts. */
export const sentLine = z.object({
  inviteId: z.string(),
  email: z.string(),
  file: z.string(),
  /** sha256 of the bytes actually sent (differs from the manifest's with --accept-edits). */
  sha256: z.string(),
  /** The transport, password masked. */
  transport: z.string(),
  /** What the relay or command answered. */
  response: z.string(),
  /** When it was accepted (ISO 8601). */
  at: z.string(),
});
export type SentLine = z.infer<typeof sentLine>;

/** One line of `DIR/send-failed.jsonl`: a message given up on, with why. */
export interface FailedLine {
  inviteId: string;
  email: string;
  file: string;
  /** The last answer of the transport (password masked). */
  reason: string;
  /** False when retries ran out on a transient failure. */
  permanent: boolean;
  attempts: number;
  transport: string;
  at: string;
}

/** The invites already in `DIR/sent.jsonl`, with when they were accepted. */
export function readSentLedger(dir: string): Map<string, string> {
  const file = path.join(dir, OUTDIR.sent);
  // send-failed.jsonl is only appended to, but a link there must stop the run as early.
  assertPlainLog(file);
  assertPlainLog(path.join(dir, OUTDIR.sendFailed));
  let values: unknown[];
  try {
    values = readJsonLines(file);
  } catch (error) {
    if (!(error instanceof DamagedLineError)) {
      throw new UserError(`cannot read ${file}: ${errorMessage(error)}`);
    }
    throw new UserError(`${file}: line ${error.line} is damaged (not JSON)`, {
      hint: 'inspect it: it records what was sent, do not delete it',
    });
  }
  const sent = new Map<string, string>();
  values.forEach((value, i) => {
    const line = sentLine.safeParse(value);
    if (!line.success) {
      throw new UserError(`${file}: line ${i + 1} is not a ledger entry`, {
        hint: 'inspect it: it records what was sent, do not delete it',
      });
    }
    if (!sent.has(line.data.inviteId)) sent.set(line.data.inviteId, line.data.at);
  });
  return sent;
}
