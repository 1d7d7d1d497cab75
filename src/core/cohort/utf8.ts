import { isUtf8 } from 'node:buffer';

/** Raised when the bytes are not UTF-8; carries the line for the report. */
export class EncodingError extends Error {
  constructor(readonly line: number) {
    super(`not UTF-8 (first invalid byte on line ${line})`);
  }
}

/** Number of line feeds in `bytes` before `end`. */
export function countLines(bytes: Buffer, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < end; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Length (0–3) of a multi-byte sequence cut off at the end of `bytes`. */
export function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * How many line feeds precede the first line of `bytes` that is not UTF-8. A line feed is
 * never part of a multi-byte sequence, so decoding line by line finds the exact line.
 */
export function invalidLineOffset(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 0; ; line++) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf < 0 ? bytes.length : lf;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (lf < 0) return line;
    start = lf + 1;
  }
}

/**
 * Checks a file chunk by chunk, strictly: a byte that is not UTF-8 throws with the file's
 * line number. The bytes come out with every line break (CRLF, LF, a lone CR) as LF,
 * inside quoted fields too, so that the CSV parser counts one line per line break, and
 * ending on a whole character (a character cut by a chunk waits for the next one).
 * `isUtf8` checks at memory speed: no decoding happens here.
 */
export class StrictUtf8 {
  private lines = 1;
  /** Bytes of a character cut at the end of the previous chunk. */
  private tail: Buffer = Buffer.alloc(0);
  /** A CR at the end of the previous chunk, waiting to see whether an LF follows. */
  private cr = false;

  check(chunk: Buffer): Buffer {
    const bytes = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const cut = bytes.length - incompleteTail(bytes);
    const whole = bytes.subarray(0, cut);
    if (!isUtf8(whole)) throw new EncodingError(this.lines + invalidLineOffset(whole));
    this.lines += countLines(whole, whole.length);
    this.tail = Buffer.from(bytes.subarray(cut));
    return this.normalize(whole);
  }

  /** What is left at the end of the file (a final CR); throws on a cut character. */
  end(): Buffer {
    if (this.tail.length > 0) throw new EncodingError(this.lines);
    const rest = Buffer.from(this.cr ? '\n' : '');
    this.cr = false;
    return rest;
  }

  private normalize(bytes: Buffer): Buffer {
    if (bytes.length === 0 || (!this.cr && bytes.indexOf(0x0d) < 0)) return bytes;
    const out = Buffer.allocUnsafe(bytes.length + 1);
    let n = 0;
    // A CR held from the previous chunk: alone it is a line break, before an LF it is dropped.
    if (this.cr && bytes[0] !== 0x0a) out[n++] = 0x0a;
    this.cr = false;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b !== 0x0d) out[n++] = b;
      else if (i + 1 === bytes.length) this.cr = true;
      else if (bytes[i + 1] !== 0x0a) out[n++] = 0x0a;
    }
    return out.subarray(0, n);
  }
}
