import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { parse, CsvError, type InfoRecord, type Options } from 'csv-parse';
import { UserError } from '../errors.js';
import { countLines, firstInvalidUtf8 } from './utf8.js';

/** One CSV record with the file's own line number (where the record ends). */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** Raised when the bytes are not UTF-8; carries the line for the report. */
export class EncodingError extends Error {
  constructor(readonly line: number) {
    super(`not UTF-8 (first invalid byte on line ${line})`);
  }
}

/** Raised when the CSV syntax itself is broken (an unclosed quote, …). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Decodes strictly: a byte that is not UTF-8 stops the stream with its line number. */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private lines = 1;

  constructor() {
    super({ decodeStrings: true, readableObjectMode: false });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      const offset = Math.max(0, firstInvalidUtf8(chunk));
      done(new EncodingError(this.lines + countLines(chunk, offset)));
      return;
    }
    this.lines += countLines(chunk, chunk.length);
    done(null, text);
  }

  override _flush(done: TransformCallback): void {
    try {
      const rest = this.decoder.decode();
      done(null, rest);
    } catch {
      done(new EncodingError(this.lines));
    }
  }
}

/**
 * Streams the records of a CSV file (BOM, CRLF, quotes, spaces around fields), never
 * holding more than a chunk in memory. Ragged rows are yielded as they are: the caller
 * decides what a wrong column count means.
 */
export async function* readCsv(file: string): AsyncGenerator<CsvRow> {
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : code;
    throw new UserError(`cannot read ${file}: ${reason}`, 1);
  }
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    on_record: (record: unknown, context: InfoRecord): CsvRow => ({
      line: context.lines,
      fields: record as string[],
    }),
    // csv-parse's types cannot express an on_record that changes the record's shape.
  } as unknown as Options);
  const decoder = new StrictUtf8();
  decoder.on('error', (error) => parser.destroy(error));
  input.on('error', (error) => parser.destroy(error));
  input.pipe(decoder).pipe(parser);
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) yield row;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw new CsvSyntaxError(error.message.replace(/^Invalid \w+ [^:]*: /, ''), line);
    }
    throw error;
  } finally {
    input.destroy();
  }
}
