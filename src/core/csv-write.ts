/**
 * Characters that make a spreadsheet read a cell as a formula, behind any number of the
 * `'` marks this writer adds: `'=x` itself is marked again (`''=x`), so reading back
 * removes exactly one mark and every value round-trips.
 */
const FORMULA = /^'*[=+\-@\t\r]/;

/** The mark a spreadsheet (and this writer) puts before text that would be a formula. */
const MARK = "'";

/**
 * One cell: a string is free text (names, labels, addresses, reasons) and is always made
 * formula-safe; a number is written as it is, so a negative one stays a number.
 */
export type CsvCell = string | number | null;

/**
 * Makes a free-text cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`,
 * tab or CR (or `'` marks before one) is prefixed with `'` so `=HYPERLINK(…)` stays text
 * (OWASP CSV injection).
 */
export function neutralizeFormula(value: string): string {
  return FORMULA.test(value) ? MARK + value : value;
}

/**
 * Undoes `neutralizeFormula` when a CSV is read back (`render DIR/failed.csv`): `'=x` is
 * read as `=x`, as a spreadsheet shows it, and `''=x` as `'=x`. Any other leading `'` is
 * kept.
 */
export function unneutralizeFormula(value: string): string {
  return value.startsWith(MARK) && FORMULA.test(value.slice(1)) ? value.slice(1) : value;
}

/** One CSV field, quoted when needed (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cellText(cell: CsvCell): string {
  if (cell === null) return '';
  return typeof cell === 'number' ? String(cell) : neutralizeFormula(cell);
}

/**
 * One CSV record (CRLF, as RFC 4180 and spreadsheets expect). The one writer of every
 * CSV the tool produces: no caller can forget to neutralise a text cell.
 */
export function csvRecord(cells: readonly CsvCell[]): string {
  return cells.map((cell) => csvField(cellText(cell))).join(',') + '\r\n';
}

/** A whole CSV document: the header, then one record per row. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  let text = csvRecord(header);
  for (const row of rows) text += csvRecord(row);
  return text;
}
