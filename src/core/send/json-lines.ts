import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { errnoCode, errorMessage } from '../errors.js';
import { DamagedLineError } from '../outdir/files.js';

/** Bytes read at a time. */
const BLOCK = 1 << 20;

/** One value of a JSON-lines file, with its 1-based line number and its rank among values. */
export interface JsonLine {
  value: unknown;
  /** The line it is on (blank lines count). */
  line: number;
  /** 0 for the first value, 1 for the next (blank lines do not count). */
  index: number;
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
    const buffer = Buffer.allocUnsafe(BLOCK);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let line = 0;
    let index = 0;
    /** A line that is not JSON: fatal only if a non-blank line follows. */
    let torn: DamagedLineError | undefined;
    const take = function* (text: string): Generator<JsonLine> {
      line++;
      if (text.trim() === '') return;
      if (torn !== undefined) throw torn;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        torn = new DamagedLineError(file, line, errorMessage(error));
        return;
      }
      yield { value, line, index: index++ };
    };
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, BLOCK, null);
      if (n === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        yield* take(text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    }
    yield* take(rest + decoder.end());
  } finally {
    fs.closeSync(fd);
  }
}
