import fs from 'node:fs';
import { parse, CsvError, type InfoRecord, type Options } from 'csv-parse';
import { UserError } from '../errors.js';
import { StrictUtf8 } from './utf8.js';

export { EncodingError } from './utf8.js';

/** One CSV record with the file's own line number (where the record starts). */
export interface CsvRow {
  line: number;
  /** The fields, trimmed (quoted ones too: a cohort file has no meaningful edge spaces). */
  fields: string[];
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

/**
 * The longest record accepted. A cohort row is well under 1 KB; the cap keeps an unclosed
 * quote at the top of a huge file from buffering the rest of it as one field.
 */
export const MAX_RECORD_BYTES = 1_000_000;

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
};

/** Opens the file, or says in one line why it cannot be read. */
async function openInput(file: string): Promise<fs.ReadStream> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    // Opening a directory succeeds on Linux; reading it would fail later, mid-stream.
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    return handle.createReadStream({ highWaterMark: 256 * 1024 });
  } catch (error) {
    await handle?.close();
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`cannot read ${file}: ${REASONS[code] ?? code}`, 1);
  }
}

/** csv-parse's error as one line for the operator, at the line it concerns. */
function syntaxError(error: CsvError, lastRecordEnd: number): CsvSyntaxError {
  const at = (error as CsvError & { lines?: number }).lines ?? 0;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvSyntaxError(
        'a quoted field starts on this row and is never closed',
        lastRecordEnd + 1,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvSyntaxError(
        `a row longer than ${MAX_RECORD_BYTES} bytes starts here (a quote that is never closed?)`,
        lastRecordEnd + 1,
      );
    case 'INVALID_OPENING_QUOTE':
      return new CsvSyntaxError(
        'a quote inside an unquoted field: quote the whole field and double the quotes in it',
        at,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvSyntaxError(
        'text right after a closing quote: double the quotes inside a quoted field',
        at,
      );
    default:
      return new CsvSyntaxError(error.message, at);
  }
}

function newlines(fields: string[]): number {
  let n = 0;
  for (const field of fields) for (const c of field) if (c === '\n') n++;
  return n;
}

/**
 * Streams the records of a CSV file (BOM, CRLF, quotes, spaces around fields), never
 * holding more than a chunk in memory. Ragged rows are yielded as they are: the caller
 * decides what a wrong column count means.
 */
export async function* readCsv(file: string): AsyncGenerator<CsvRow> {
  const input = await openInput(file);
  let lastRecordEnd = 0;
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (record: string[], context: InfoRecord): CsvRow => {
      lastRecordEnd = context.lines;
      // csv-parse counts the line where a record ends; a multi-line quoted field moves
      // the start up by its line breaks.
      return { line: context.lines - newlines(record), fields: record.map((f) => f.trim()) };
    },
    // csv-parse's types cannot express an on_record that changes the record's shape.
  } as unknown as Options);
  const decoder = new StrictUtf8();
  decoder.on('error', (error) => parser.destroy(error));
  input.on('error', (error) => parser.destroy(error));
  input.pipe(decoder).pipe(parser);
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) yield row;
  } catch (error) {
    if (error instanceof CsvError) throw syntaxError(error, lastRecordEnd);
    throw error;
  } finally {
    input.destroy();
  }
}
