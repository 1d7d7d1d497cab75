import fs from 'node:fs';
import path from 'node:path';
import { UserError, errnoCode, toError } from '../errors.js';
import { CsvLines, type CsvRow } from './csv-lines.js';
import { StrictUtf8 } from './utf8.js';

export { CsvSyntaxError, MAX_RECORD_BYTES, type CsvRow } from './csv-lines.js';
export { EncodingError } from './utf8.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
};

/** What to do about it. A relative path is read from the current folder: name it. */
function hintFor(code: string): string | undefined {
  if (code === 'ENOENT') return `check the path; the current folder is ${path.resolve()}`;
  if (code === 'EISDIR') return 'pass the cohort CSV file itself, not its folder';
  if (code === 'EACCES')
    return 'check the file permissions (ls -l), or copy the file somewhere readable';
  return undefined;
}

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
    const code = errnoCode(error) ?? 'error';
    throw new UserError(`cannot read ${file}: ${REASONS[code] ?? code}`, { hint: hintFor(code) });
  }
}

/** Runs one parse step, keeping the rows it parsed before it failed. */
function step(parse: (rows: CsvRow[]) => void): { rows: CsvRow[]; failure?: Error } {
  const rows: CsvRow[] = [];
  try {
    parse(rows);
    return { rows };
  } catch (error) {
    return { rows, failure: toError(error) };
  }
}

/**
 * Streams the records of a CSV file (BOM, CRLF, quotes, spaces around fields) in batches
 * of one input chunk, never holding more than a chunk in memory. Ragged rows are yielded
 * as they are: the caller decides what a wrong column count means. The rows before a
 * syntax error are yielded before the error is thrown.
 */
export async function* readCsvBatches(file: string): AsyncGenerator<CsvRow[]> {
  const input = await openInput(file);
  const text = new StrictUtf8();
  const csv = new CsvLines();
  try {
    for await (const chunk of input) {
      const { rows, failure } = step((out) => csv.push(text.check(chunk as Buffer), out));
      if (rows.length > 0) yield rows;
      if (failure) throw failure;
    }
    const { rows, failure } = step((out) => {
      csv.push(text.end(), out);
      csv.end(out);
    });
    if (rows.length > 0) yield rows;
    if (failure) throw failure;
  } finally {
    input.destroy();
  }
}

/** The records of a CSV file one at a time (see `readCsvBatches`). */
export async function* readCsv(file: string): AsyncGenerator<CsvRow> {
  for await (const rows of readCsvBatches(file)) yield* rows;
}
