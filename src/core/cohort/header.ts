import { UserError } from '../errors.js';

/** Column positions of a cohort file. */
export interface CohortHeader {
  columns: string[];
  email: number;
  cohort: number;
  /** Extra columns (name, locale, …) passed to the template, by position. */
  extras: { name: string; index: number }[];
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads the header row; the problems found (missing `email`/`cohort`, duplicated or
 * unusable column names) are returned all at once.
 */
export function parseHeader(fields: string[]): { header?: CohortHeader; problems: string[] } {
  const columns = fields.map((f) => f.trim().toLowerCase());
  const problems: string[] = [];
  for (const required of ['email', 'cohort']) {
    if (!columns.includes(required)) problems.push(`header has no "${required}" column`);
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) problems.push(`header repeats the column "${column}"`);
    seen.add(column);
    if (!NAME.test(column)) {
      problems.push(
        `header column "${column}" is not a usable name (letters, digits and _ only, as template variables)`,
      );
    }
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    header: {
      columns,
      email: columns.indexOf('email'),
      cohort: columns.indexOf('cohort'),
      extras: columns
        .map((name, index) => ({ name, index }))
        .filter(({ name }) => name !== 'email' && name !== 'cohort'),
    },
  };
}

export function assertHeader(fields: string[] | undefined, file: string): CohortHeader {
  if (!fields) throw new UserError(`${file} is empty: expected a header line email,cohort`);
  const { header, problems } = parseHeader(fields);
  if (!header) throw new UserError(`${file}: ${problems.join('; ')}`);
  return header;
}
