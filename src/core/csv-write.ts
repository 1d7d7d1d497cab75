/** Characters that make a spreadsheet read a cell as a formula. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * Makes a free-text cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`,
 * tab or CR is prefixed with `'` so `=HYPERLINK(…)` stays text (OWASP CSV injection).
 */
export function neutralizeFormula(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/** One CSV field, quoted when needed (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (CRLF, as RFC 4180 and spreadsheets expect). */
export function csvLine(values: string[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
