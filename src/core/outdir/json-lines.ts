import fs from 'node:fs';
import { errnoCode, errorMessage } from '../errors.js';
import { DamagedLineError } from './files.js';

/** Bytes read at a time. */
const BLOCK = 1 << 20;

/** One value of a JSON-lines file, with where it stands in the file. */
export interface JsonLine {
  value: unknown;
  /** The line it is on, 1-based (blank lines count). */
  line: number;
  /** 0 for the first value, 1 for the next (blank lines do not count). */
  index: number;
  /** Byte offset of the line in the file, and its length in bytes (without the LF). */
  offset: number;
  length: number;
}

/**
 * Reads a JSON-lines file a block at a time, as readJsonLines does in one go: a missing
 * file has no values, a torn last line (crash mid-append) is ignored, a damaged line
 * before the last throws a DamagedLineError naming it. Memory: one block and one line.
 */
export function* jsonLines(file: string): Generator<JsonLine> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    let line = 0;
    let index = 0;
    /** A line that is not JSON: fatal only if a non-blank line follows. */
    let torn: DamagedLineError | undefined;
    const take = function* (bytes: Buffer, offset: number): Generator<JsonLine> {
      line++;
      // An LF byte never occurs inside a UTF-8 sequence: each line decodes on its own.
      const text = bytes.toString('utf8');
      if (text.trim() === '') return;
      if (torn !== undefined) throw torn;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        torn = new DamagedLineError(file, line, errorMessage(error));
        return;
      }
      yield { value, line, index: index++, offset, length: bytes.length };
    };
    const block = Buffer.allocUnsafe(BLOCK);
    let carry = Buffer.alloc(0);
    let carryAt = 0;
    for (;;) {
      const read = fs.readSync(fd, block, 0, BLOCK, null);
      if (read === 0) break;
      const data =
        carry.length > 0
          ? Buffer.concat([carry, block.subarray(0, read)])
          : block.subarray(0, read);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        yield* take(data.subarray(start, nl), carryAt + start);
        start = nl + 1;
      }
      carryAt += start;
      // Copied: the block is overwritten by the next read.
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) yield* take(carry, carryAt);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every value of a JSON-lines file at once, by the same rules as jsonLines. */
export function readJsonLines(file: string): unknown[] {
  return Array.from(jsonLines(file), (l) => l.value);
}
