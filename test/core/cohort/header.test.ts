import { describe, expect, it } from 'vitest';
import { assertHeader, parseHeader } from '../../../src/core/cohort/header.js';

describe('parseHeader', () => {
  it('finds email and cohort in any order and case, with extras by position', () => {
    const { header, problems } = parseHeader([' Name ', 'COHORT', 'Email', 'locale']);
    expect(problems).toEqual([]);
    expect(header).toEqual({
      columns: ['name', 'cohort', 'email', 'locale'],
      email: 2,
      cohort: 1,
      extras: [
        { name: 'name', index: 0 },
        { name: 'locale', index: 3 },
      ],
    });
  });

  it('reports every problem at once', () => {
    expect(parseHeader(['mail', 'group', 'first name', 'mail']).problems).toMatchInlineSnapshot(`
      [
        "header has no "email" column",
        "header has no "cohort" column",
        "header column "first name" is not a usable name (letters, digits and _ only, as template variables)",
        "header repeats the column "mail"",
      ]
    `);
  });

  it('refuses an empty column name and one starting with a digit', () => {
    expect(parseHeader(['email', 'cohort', '', '2nd']).problems).toMatchInlineSnapshot(`
      [
        "header column "" is not a usable name (letters, digits and _ only, as template variables)",
        "header column "2nd" is not a usable name (letters, digits and _ only, as template variables)",
      ]
    `);
  });
});

describe('assertHeader', () => {
  it('throws one line for an empty file and for a bad header', () => {
    expect(() => assertHeader(undefined, 'c.csv')).toThrowErrorMatchingInlineSnapshot(
      `[UserError: c.csv is empty: expected a header line email,cohort]`,
    );
    expect(() => assertHeader(['mail', 'cohort'], 'c.csv')).toThrowErrorMatchingInlineSnapshot(
      `[UserError: c.csv: header has no "email" column]`,
    );
    expect(assertHeader(['email', 'cohort'], 'c.csv').email).toBe(0);
  });
});
