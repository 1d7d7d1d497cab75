import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The files of an output folder (render writes the first three, send the last two). */
export const OUTDIR = {
  manifest: 'manifest.jsonl',
  failed: 'failed.csv',
  sent: 'sent.jsonl',
  sendFailed: 'send-failed.jsonl',
} as const;

/**
 * Writes a file so that a reader sees either the old content or the new one, never a
 * truncated one: a temp file in the same folder, fsync, then rename.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(temp, 'w', 0o644);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

/** A line of a JSON-lines file that is not JSON, with its 1-based number. */
export class DamagedLineError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    /** What JSON.parse said. */
    readonly reason: string,
  ) {
    super(`${file}: line ${line} is damaged (${reason})`);
    this.name = 'DamagedLineError';
  }
}
