import { Transform, type TransformCallback } from 'node:stream';

/** Raised when the bytes are not UTF-8; carries the line for the report. */
export class EncodingError extends Error {
  constructor(readonly line: number) {
    super(`not UTF-8 (first invalid byte on line ${line})`);
  }
}

/** Number of line feeds in `bytes` before `end`. */
export function countLines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
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
 * Decodes strictly: a byte that is not UTF-8 stops the stream with the file's line
 * number. CRLF becomes LF on the way (inside quoted fields too), so that the CSV parser
 * counts one line per line break.
 */
export class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private lines = 1;
  /** Bytes of a character cut at the end of the previous chunk (held by the decoder). */
  private tail: Uint8Array = new Uint8Array(0);
  /** A CR at the end of the previous chunk, waiting to see whether an LF follows. */
  private cr = false;

  constructor() {
    super({ decodeStrings: true, readableObjectMode: false });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      done(new EncodingError(this.lines + invalidLineOffset(Buffer.concat([this.tail, chunk]))));
      return;
    }
    this.lines += countLines(chunk, chunk.length);
    this.tail = chunk.subarray(chunk.length - incompleteTail(chunk));
    done(null, this.normalize(text));
  }

  override _flush(done: TransformCallback): void {
    try {
      const rest = this.normalize(this.decoder.decode());
      done(null, this.cr ? rest + '\r' : rest);
    } catch {
      done(new EncodingError(this.lines));
    }
  }

  private normalize(text: string): string {
    let out = (this.cr ? '\r' : '') + text;
    this.cr = out.endsWith('\r');
    if (this.cr) out = out.slice(0, -1);
    return out.replace(/\r\n/g, '\n');
  }
}
