import { parse, CsvError, type Info } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CsvLines,
  CsvSyntaxError,
  MAX_RECORD_BYTES,
  type CsvRow,
} from '../../../src/core/cohort/csv-lines.js';
import { StrictUtf8 } from '../../../src/core/cohort/utf8.js';

interface Outcome {
  rows: CsvRow[];
  error?: { line: number; message: string };
}

const MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field starts on this row and is never closed',
  INVALID_OPENING_QUOTE:
    'a quote inside an unquoted field: quote the whole field and double the quotes in it',
  CSV_INVALID_CLOSING_QUOTE:
    'text right after a closing quote: double the quotes inside a quoted field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'text right after a closing quote: double the quotes inside a quoted field',
};

/**
 * The reference: csv-parse on the whole text at once, with the options and error
 * messages the reader had when csv-parse read every line. An unclosed quote is reported
 * on the first line of its record (the first non-blank line after the last record).
 */
function reference(text: string): Outcome {
  const normalized = text.replace(/\r\n?/g, '\n');
  const rows: CsvRow[] = [];
  let last = 0;
  try {
    parse(normalized, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_RECORD_BYTES,
      on_record: (record: string[], info: Info & { lines: number }) => {
        last = info.lines;
        const breaks = record.join('').split('\n').length - 1;
        rows.push({ line: info.lines - breaks, fields: record.map((f) => f.trim()) });
        return null;
      },
    });
    return { rows };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const lines = normalized.replace(/^\ufeff/, '').split('\n');
    let start = last + 1;
    while ((lines[start - 1] ?? 'x').trim() === '') start++;
    const at = (error as CsvError & { lines: number }).lines;
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? start : at;
    return { rows, error: { line, message: MESSAGES[error.code] ?? error.message } };
  }
}

/** The reader under test, fed the UTF-8 bytes of `text` cut at `cuts`. */
function subject(text: string, cuts: number[]): Outcome {
  const bytes = Buffer.from(text);
  const bounds = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const utf8 = new StrictUtf8();
  const csv = new CsvLines();
  const rows: CsvRow[] = [];
  try {
    let from = 0;
    for (const to of [...bounds, bytes.length]) {
      csv.push(utf8.check(bytes.subarray(from, to)), rows);
      from = to;
    }
    csv.push(utf8.end(), rows);
    csv.end(rows);
    return { rows };
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { rows, error: { line: error.line, message: error.message } };
  }
}

const token = fc.constantFrom(
  'a',
  'b@example.org',
  'Zoë',
  ' ',
  '\t',
  '\u00a0',
  ',',
  ',',
  '"',
  '""',
  '\n',
  '\n',
  '\r\n',
  '\r',
);
const csvText = fc
  .tuple(fc.boolean(), fc.array(token, { maxLength: 40 }))
  .map(([bom, tokens]) => (bom ? '\ufeff' : '') + tokens.join(''));

describe('CsvLines', () => {
  it('reads like csv-parse on the whole text, however the bytes are cut', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        expect(subject(text, cuts)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('splits lines without quotes itself and hands quoted records to csv-parse', () => {
    const text =
      'email,cohort,name\n a@example.org , c ,"Doe, Jane"\n\n  \nb@example.org,c,"multi\nline"\nc@example.org,c,x\n';
    expect(subject(text, [7, 40])).toEqual({
      rows: [
        { line: 1, fields: ['email', 'cohort', 'name'] },
        { line: 2, fields: ['a@example.org', 'c', 'Doe, Jane'] },
        { line: 5, fields: ['b@example.org', 'c', 'multi\nline'] },
        { line: 7, fields: ['c@example.org', 'c', 'x'] },
      ],
    });
  });

  it('treats a lone CR as a line break, as CRLF and LF', () => {
    expect(subject('email,cohort\ra@example.org,c\r\nb@example.org,c\n', [13]).rows).toEqual([
      { line: 1, fields: ['email', 'cohort'] },
      { line: 2, fields: ['a@example.org', 'c'] },
      { line: 3, fields: ['b@example.org', 'c'] },
    ]);
  });

  it('reports a stray quote at its line even when the file goes on for long', () => {
    const text = 'email,cohort\nb@exa"mple.org,c\n' + 'x@example.org,c\n'.repeat(70_000);
    expect(subject(text, [])).toEqual({
      rows: [{ line: 1, fields: ['email', 'cohort'] }],
      error: {
        line: 2,
        message:
          'a quote inside an unquoted field: quote the whole field and double the quotes in it',
      },
    });
  });
});
