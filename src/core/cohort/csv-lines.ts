import { CsvError, parse, type Options } from 'csv-parse/sync';
import { unneutralizeFormula } from '../csv-write.js';

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

const tooLong = (line: number) =>
  new CsvSyntaxError(
    `a row longer than ${MAX_RECORD_BYTES} bytes starts here (a quote that is never closed?)`,
    line,
  );

/** csv-parse's error as one line for the operator; `start` is the record's first line. */
function syntaxError(error: CsvError, start: number): CsvSyntaxError {
  const at = start + ((error as CsvError & { lines?: number }).lines ?? 1) - 1;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvSyntaxError('a quoted field starts on this row and is never closed', start);
    case 'CSV_MAX_RECORD_SIZE':
      return tooLong(start);
    case 'INVALID_OPENING_QUOTE':
      return new CsvSyntaxError(
        'a quote inside an unquoted field: quote the whole field and double the quotes in it',
        at,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new CsvSyntaxError(
        'text right after a closing quote: double the quotes inside a quoted field',
        at,
      );
    default:
      return new CsvSyntaxError(error.message, at);
  }
}

// csv-parse trims exactly the characters String#trim removes (checked over the whole BMP),
// so a field without quotes parses to `field.trim()` and a blank line to nothing.
const QUOTED_OPTIONS: Options = {
  trim: true,
  skip_empty_lines: true,
  relax_column_count: true,
  record_delimiter: '\n',
  max_record_size: MAX_RECORD_BYTES,
  info: true,
};

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/**
 * A field as the tool reads it: trimmed, and without the `'` a spreadsheet or failed.csv
 * puts before text that would be a formula (`'=x` is `=x`), so `render DIR/failed.csv`
 * reads exactly the recipients that failed.
 */
function cell(text: string): string {
  const field = text.trim();
  return field.charCodeAt(0) === 0x27 ? unneutralizeFormula(field) : field;
}

function trimAll(fields: string[]): string[] {
  for (let i = 0; i < fields.length; i++) fields[i] = cell(fields[i] as string);
  return fields;
}

const LF = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * The fields of `bytes[start, end)`, a line without quotes, each decoded on its own: a
 * separate short string per field, where slicing one decoded line would keep the whole
 * line alive for as long as its email is remembered.
 */
function splitLine(bytes: Buffer, start: number, end: number): string[] {
  const fields: string[] = [];
  for (let from = start; ;) {
    const comma = bytes.indexOf(COMMA, from);
    if (comma < 0 || comma >= end) {
      fields.push(cell(bytes.toString('utf8', from, end)));
      return fields;
    }
    fields.push(cell(bytes.toString('utf8', from, comma)));
    from = comma + 1;
  }
}

/**
 * CSV bytes (UTF-8, line breaks already LF), pushed chunk by chunk. A line without a
 * quote is split here; lines with quotes are gathered until their quotes pair up (a
 * quoted field may span lines) and parsed by csv-parse, which also names any syntax
 * error. Almost every cohort line has no quote, and csv-parse's byte-by-byte parse of
 * them was most of the cost of reading a large file.
 */
export class CsvLines {
  private line = 0;
  private rest: Buffer = Buffer.alloc(0);
  private bom = true;
  /** Lines of a record with quotes, not yet parsed. */
  private quoted: string[] = [];
  private quotedStart = 0;
  private quotedChars = 0;
  private quotes = 0;

  /** Parses the complete lines of `chunk` into `rows`; keeps the last partial line. */
  push(chunk: Buffer, rows: CsvRow[]): void {
    let bytes = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    if (this.bom && bytes.length >= 3) {
      this.bom = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    let from = 0;
    let quote = bytes.indexOf(QUOTE);
    for (let lf = bytes.indexOf(LF); lf >= 0; lf = bytes.indexOf(LF, from)) {
      if (quote >= 0 && quote < from) quote = bytes.indexOf(QUOTE, from);
      this.take(bytes, from, lf, quote >= 0 && quote < lf, rows);
      from = lf + 1;
    }
    this.rest = Buffer.from(bytes.subarray(from));
    if (this.rest.length > MAX_RECORD_BYTES) {
      throw tooLong(this.quoted.length > 0 ? this.quotedStart : this.line + 1);
    }
  }

  /** Parses what is left at the end of the input. */
  end(rows: CsvRow[]): void {
    const last = this.rest;
    this.rest = Buffer.alloc(0);
    if (last.length > 0) this.take(last, 0, last.length, last.includes(QUOTE), rows);
    if (this.quoted.length > 0) this.parseQuoted(rows, 'eof');
  }

  private take(bytes: Buffer, start: number, end: number, quoted: boolean, rows: CsvRow[]): void {
    const line = ++this.line;
    if (this.quoted.length === 0 && !quoted) {
      if (end - start > MAX_RECORD_BYTES) throw tooLong(line);
      const fields = splitLine(bytes, start, end);
      // A blank line (nothing but spaces) is skipped, as csv-parse does.
      if (fields.length > 1 || fields[0] !== '') rows.push({ line, fields });
      return;
    }
    const text = bytes.toString('utf8', start, end);
    if (this.quoted.length === 0) this.quotedStart = line;
    this.quoted.push(text);
    this.quotedChars += text.length + 1;
    this.quotes += count(text, '"');
    // Quotes come in pairs (delimiters, doubled quotes) once a record is complete.
    if (this.quotes % 2 === 0) this.parseQuoted(rows, 'paired');
    else if (this.quotedChars > MAX_RECORD_BYTES) this.parseQuoted(rows, 'cap');
  }
  private parseQuoted(rows: CsvRow[], why: 'paired' | 'cap' | 'eof'): void {
    const start = this.quotedStart;
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(this.quoted.join('\n'), QUOTED_OPTIONS) as unknown as typeof records;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      // Paired quotes that still leave a field open: keep reading lines.
      if (why === 'paired' && error.code === 'CSV_QUOTE_NOT_CLOSED') return;
      if (why === 'cap' && error.code === 'CSV_QUOTE_NOT_CLOSED') throw tooLong(start);
      throw syntaxError(error, start);
    }
    for (const { record, info } of records) {
      // info.lines is the line the record ends on; a quoted line break moves its start up.
      const line = start + info.lines - 1 - count(record.join(''), '\n');
      rows.push({ line, fields: trimAll(record) });
    }
    this.quoted = [];
    this.quotedChars = 0;
    this.quotes = 0;
  }
}
