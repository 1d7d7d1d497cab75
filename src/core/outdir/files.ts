import { errnoCode, errorMessage } from '../errors.js';
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

/**
 * Reads a JSON-lines file; a torn last line (crash mid-append) is ignored, not fatal. A
 * damaged line before the last throws a DamagedLineError naming it.
 */
export function readJsonLines(file: string): unknown[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  const values: unknown[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line));
    } catch (error) {
      // Only the last line can be torn by a crash; anything else is real corruption.
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim() !== ''))
        throw new DamagedLineError(file, i + 1, errorMessage(error));
    }
  });
  return values;
}
