import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  validateCohort,
  type CohortReport,
  type ValidateOptions,
} from '../../../src/core/cohort/validate.js';
import { failure } from '../../helpers/failure.js';
import { fixture } from '../../helpers/paths.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-validate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const loose: ValidateOptions = {
  minTotal: 0,
  minCreators: 0,
  minLabels: 0,
  checkUsers: false,
  keep: Infinity,
};

/** The checks that did not pass, as "id status count". */
function failing(report: CohortReport): string[] {
  return report.checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.id} ${c.status} ${c.count}`);
}

/** Issues as "line type: value → message". */
function issues(list: CohortReport['errors']): string[] {
  return list.map((i) => `${i.line} ${i.type}: ${i.value} → ${i.message}`);
}

describe('validateCohort', () => {
  it('passes the sample cohort with the default thresholds', async () => {
    const report = await validateCohort(fixture('cohort.csv'), {
      ...loose,
      minTotal: 50,
      minCreators: 5,
      minLabels: 3,
    });
    expect(report.verdict).toBe('ok');
    expect(report.valid).toBe(true);
    expect(failing(report)).toEqual([]);
    expect(report.stats).toMatchObject({
      rows: 60,
      labels: 6,
      creators: 11,
      columns: ['email', 'cohort', 'name', 'locale'],
    });
    expect(Object.entries(report.stats.distribution)).toEqual([
      ['community-member', 16],
      ['listener-jazz-mailing-list', 16],
      ['listener-classical', 9],
      ['press-music', 8],
      ['creator-vinyl-pressing', 7],
      ['creator-podcast', 4],
    ]);
  });

  it('warns below each soft threshold, with the numbers', async () => {
    const report = await validateCohort(fixture('small.csv'), {
      ...loose,
      minTotal: 50,
      minCreators: 5,
      minLabels: 4,
    });
    expect(report.verdict).toBe('warn');
    expect(report.valid).toBe(true);
    expect(report.warnings).toMatchInlineSnapshot(`
      [
        {
          "field": "",
          "line": 0,
          "message": "3 recipients (minimum 50)",
          "type": "min-total",
          "value": "3",
        },
        {
          "field": "cohort",
          "line": 0,
          "message": "1 creator row (minimum 5)",
          "type": "min-creators",
          "value": "1",
        },
        {
          "field": "cohort",
          "line": 0,
          "message": "3 labels (minimum 4)",
          "type": "min-labels",
          "value": "3",
        },
      ]
    `);
  });

  it('counts creators by the "creator" prefix, case-insensitively', async () => {
    const p = file(
      'creators.csv',
      'email,cohort\na@example.org,Creator-x\nb@example.org,creators\nc@example.org,co-creator\n',
    );
    expect((await validateCohort(p, loose)).stats.creators).toBe(2);
  });

  it('reports every row involved in a duplicate, and likely duplicates as warnings', async () => {
    const report = await validateCohort(fixture('duplicates.csv'), loose);
    expect(report.verdict).toBe('blocked');
    expect(failing(report)).toEqual(['duplicate-email fail 5', 'likely-duplicate warn 3']);
    expect(issues(report.errors)).toMatchInlineSnapshot(`
      [
        "2 duplicate-email: elodie.lefevre@example.org → the same email appears again on line 4",
        "3 duplicate-email: francois.mercier@example.net → the same email appears again on line 11",
        "4 duplicate-email: Elodie.Lefevre@Example.ORG → duplicate of line 2",
        "5 duplicate-email: elodie.lefevre@example.org → duplicate of line 2",
        "11 duplicate-email: FRANCOIS.MERCIER@EXAMPLE.NET → duplicate of line 3",
      ]
    `);
    expect(issues(report.warnings)).toMatchInlineSnapshot(`
      [
        "7 likely-duplicate: zoevezina@gmail.com → probably the same mailbox as zoe.vezina@gmail.com (line 6)",
        "8 likely-duplicate: zoe.vezina+beta@googlemail.com → probably the same mailbox as zoe.vezina@gmail.com (line 6)",
        "10 likely-duplicate: anais.guerin+launch@example.org → probably the same mailbox as anais.guerin@example.org (line 9)",
      ]
    `);
  });

  it('finds a likely duplicate whichever form comes first', async () => {
    const p = file(
      'variants.csv',
      'email,cohort\nzoe+a@example.org,c\nzoe+b@example.org,c\nzoe@example.org,c\n',
    );
    expect(issues((await validateCohort(p, loose)).warnings)).toMatchInlineSnapshot(`
      [
        "3 likely-duplicate: zoe+b@example.org → probably the same mailbox as zoe+a@example.org (line 2)",
        "4 likely-duplicate: zoe@example.org → probably the same mailbox as zoe+a@example.org (line 2)",
      ]
    `);
  });

  it('blocks on every kind of malformed email', async () => {
    const report = await validateCohort(fixture('malformed-emails.csv'), loose);
    expect(failing(report)).toEqual(['invalid-email fail 17']);
    expect(report.errors.every((i) => i.field === 'email' && i.type === 'invalid-email')).toBe(
      true,
    );
    expect(report.errors.map((i) => `${i.line} ${i.message}`)).toMatchInlineSnapshot(`
      [
        "3 email local part has a leading, trailing or doubled dot",
        "4 email local part has a leading, trailing or doubled dot",
        "5 email local part has a leading, trailing or doubled dot",
        "6 email has no @",
        "7 email has more than one @",
        "8 email domain has no dot",
        "9 email contains a space",
        "10 email local part has a character that is not allowed (")",
        "11 email is longer than 320 characters",
        "12 email domain is not a valid host name",
        "13 email domain is not a valid host name",
        "14 email domain ends in a number",
        "15 email has nothing before the @",
        "16 email has no domain",
        "17 email is empty",
        "18 email local part has a character that is not allowed (é)",
        "19 email domain is not a valid host name",
      ]
    `);
  });

  it('blocks on an empty cohort label and one over 64 characters (64 is fine)', async () => {
    const report = await validateCohort(fixture('bad-cohort.csv'), loose);
    expect(failing(report)).toEqual(['invalid-cohort fail 3']);
    expect(report.errors.map((i) => `${i.line} ${i.field} ${i.value.length} ${i.message}`))
      .toMatchInlineSnapshot(`
      [
        "3 cohort 0 cohort is empty",
        "5 cohort 65 cohort is longer than 64 characters",
        "6 cohort 0 cohort is empty",
      ]
    `);
    expect(Object.keys(report.stats.distribution)).toEqual([
      'c'.repeat(64),
      'creator-vinyl-pressing',
    ]);
  });

  it('blocks on ragged rows', async () => {
    const report = await validateCohort(fixture('ragged.csv'), loose);
    expect(failing(report)).toEqual(['ragged-row fail 3']);
    expect(issues(report.errors)).toMatchInlineSnapshot(`
      [
        "3 ragged-row: francois.mercier@example.net,creator-podcast → row has 2 fields, the header has 3",
        "4 ragged-row: zoe.vezina@example.org,press-music,Zoë Vézina,fr-CA → row has 4 fields, the header has 3",
        "6 ragged-row: noe.perier@example.org → row has 1 field, the header has 3",
      ]
    `);
  });

  it('blocks on a header without email or cohort, and on an empty file', async () => {
    const wrong = await validateCohort(fixture('wrong-header.csv'), loose);
    const empty = await validateCohort(fixture('empty.csv'), loose);
    expect([...issues(wrong.errors), ...issues(empty.errors)]).toMatchInlineSnapshot(`
      [
        "1 header: mail,group,name → header has no "email" column",
        "1 header: mail,group,name → header has no "cohort" column",
        "1 header:  → file is empty: expected a header line email,cohort",
      ]
    `);
    expect(wrong.stats.rows).toBe(0);
    expect(empty.verdict).toBe('blocked');
  });

  it('accepts a header-only file as valid, with zero recipients below the thresholds', async () => {
    const report = await validateCohort(fixture('header-only.csv'), { ...loose, minTotal: 1 });
    expect(report.verdict).toBe('warn');
    expect(failing(report)).toEqual(['min-total warn 0']);
  });

  it('blocks on a file that is not UTF-8, at its line', async () => {
    const report = await validateCohort(fixture('latin1.csv'), loose);
    expect(issues(report.errors)).toEqual([
      '3 encoding-error:  → file is not UTF-8: save it as UTF-8 and rerun',
    ]);
  });

  it('blocks on broken CSV syntax, at the row where it starts', async () => {
    const report = await validateCohort(fixture('unclosed-quote.csv'), loose);
    expect(issues(report.errors)).toEqual([
      '3 csv-syntax:  → a quoted field starts on this row and is never closed',
    ]);
  });

  it('blocks on labels outside --labels', async () => {
    const report = await validateCohort(fixture('small.csv'), {
      ...loose,
      labels: ['community-member', 'creator-vinyl-pressing'],
    });
    expect(failing(report)).toEqual(['unknown-label fail 1']);
    expect(issues(report.errors)).toEqual([
      '3 unknown-label: listener-jazz-mailing-list → cohort "listener-jazz-mailing-list" is not in --labels',
    ]);
    const all = await validateCohort(fixture('small.csv'), loose);
    expect(all.checks.map((c) => c.id)).not.toContain('unknown-label');
  });

  it('asks for existing users once with every distinct lower-cased email', async () => {
    const calls: string[][] = [];
    const report = await validateCohort(fixture('duplicates.csv'), {
      ...loose,
      checkUsers: true,
      findUsers: (emails) => {
        calls.push(emails);
        return Promise.resolve(new Set(['francois.mercier@example.net']));
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(7);
    expect(calls[0]).toContain('elodie.lefevre@example.org');
    expect(issues(report.warnings.filter((w) => w.type === 'user-collision'))).toEqual([
      '3 user-collision: francois.mercier@example.net → already has an account in public.users',
    ]);
    expect(report.checks.find((c) => c.id === 'user-collision')?.detail).toBe(
      '1 email already in public.users',
    );
  });

  it('finds twins far apart in a long file exactly, and asks for users 50,000 at a time', async () => {
    const rows = Array.from({ length: 120_000 }, (_, i) => `person.${i}@example.org,c`);
    rows[60_000] = 'Person.3@Example.org,c';
    rows[90_000] = 'zoe.vezina@gmail.com,c';
    rows.push('zoevezina+late@googlemail.com,c', 'person.0@example.org,c');
    const calls: number[] = [];
    const report = await validateCohort(file('long.csv', `email,cohort\n${rows.join('\n')}\n`), {
      ...loose,
      checkUsers: true,
      findUsers: (emails) => {
        calls.push(emails.length);
        return Promise.resolve(new Set(emails.filter((e) => e === 'person.119999@example.org')));
      },
    });
    expect(issues(report.errors)).toMatchInlineSnapshot(`
      [
        "2 duplicate-email: person.0@example.org → the same email appears again on line 120003",
        "5 duplicate-email: person.3@example.org → the same email appears again on line 60002",
        "60002 duplicate-email: Person.3@Example.org → duplicate of line 5",
        "120003 duplicate-email: person.0@example.org → duplicate of line 2",
      ]
    `);
    expect(issues(report.warnings)).toMatchInlineSnapshot(`
      [
        "120001 user-collision: person.119999@example.org → already has an account in public.users",
        "120002 likely-duplicate: zoevezina+late@googlemail.com → probably the same mailbox as zoe.vezina@gmail.com (line 90002)",
      ]
    `);
    // 120,002 rows, two of them repeats of an earlier address.
    expect(calls).toEqual([50_000, 50_000, 20_000]);
  });

  it('refuses a file that changed between its two passes', async () => {
    const p = file('growing.csv', 'email,cohort\na@example.org,c\n');
    const message = await failure(
      validateCohort(p, {
        ...loose,
        checkUsers: true,
        findUsers: () => {
          fs.appendFileSync(p, 'b@example.org,c\n');
          return Promise.resolve(new Set<string>());
        },
      }),
    );
    expect(message.replace(dir, 'DIR')).toMatchInlineSnapshot(
      `"1: DIR/growing.csv changed while it was being validated | rerun once nothing writes to the file"`,
    );
  });

  it('keeps the first issues of each kind but counts them all', async () => {
    const body = Array.from({ length: 30 }, (_, i) => `bad${i},c\n`).join('');
    const report = await validateCohort(file('many.csv', 'email,cohort\n' + body), {
      ...loose,
      keep: 20,
    });
    expect(report.errors).toHaveLength(20);
    expect(report.omitted).toBe(10);
    expect(report.checks.find((c) => c.id === 'invalid-email')?.count).toBe(30);
  });

  it('groups thousands in the details', async () => {
    const body = Array.from({ length: 1200 }, (_, i) => `bad${i},c\n`).join('');
    const report = await validateCohort(file('thousands.csv', 'email,cohort\n' + body), {
      ...loose,
      keep: 0,
      minTotal: 5000,
    });
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.detail)).toEqual([
      '1,200 malformed emails',
      '1,200 recipients (minimum 5,000)',
    ]);
  });
});
