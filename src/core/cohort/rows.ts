import { assertHeader, type CohortHeader } from './header.js';
import { readCsv } from './read-csv.js';

/** One recipient row of a validated cohort file. */
export interface CohortRow {
  line: number;
  fields: string[];
  email: string;
  cohort: string;
  /** The extra columns by name (passed to the template). */
  extras: Record<string, string>;
}

/**
 * Streams a cohort file that `validateCohort` accepted: the header first, then one row
 * at a time. Rows are trimmed as the validator saw them.
 */
export async function* readCohortRows(file: string): AsyncGenerator<CohortHeader | CohortRow> {
  let header: CohortHeader | undefined;
  for await (const row of readCsv(file)) {
    if (!header) {
      header = assertHeader(row.fields, file);
      yield header;
      continue;
    }
    const extras: Record<string, string> = {};
    for (const { name, index } of header.extras) extras[name] = row.fields[index] ?? '';
    yield {
      line: row.line,
      fields: row.fields,
      email: (row.fields[header.email] ?? '').trim(),
      cohort: row.fields[header.cohort] ?? '',
      extras,
    };
  }
  if (!header) assertHeader(undefined, file);
}
