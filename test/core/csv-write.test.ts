import { describe, expect, it } from 'vitest';
import {
  csvDocument,
  csvRecord,
  neutralizeFormula,
  unneutralizeFormula,
} from '../../src/core/csv-write.js';
import { reportCsv, type ReportRow } from '../../src/core/ops/report.js';

describe('the CSV writer', () => {
  it('neutralises every text cell that a spreadsheet would run, and no number', () => {
    expect(csvRecord(['=1+1', '+33 6', '-x', '@SUM(A1)', '\tx', '\rx', 'ok', -12.5, 3, null])).toBe(
      `'=1+1,'+33 6,'-x,'@SUM(A1),'\tx,"'\rx",ok,-12.5,3,\r\n`,
    );
    expect(csvDocument(['a', 'b'], [['=x', 'say "hi", then']])).toBe(
      `a,b\r\n'=x,"say ""hi"", then"\r\n`,
    );
  });

  it('reads back what it neutralised, and leaves any other leading quote', () => {
    for (const value of [
      '=1+1',
      '+x',
      '-x',
      '@x',
      '\tx',
      '\rx',
      "'=x",
      "''-x",
      'plain',
      "'quoted'",
      "'",
    ])
      expect(unneutralizeFormula(neutralizeFormula(value))).toBe(value);
    expect(neutralizeFormula("'=x")).toBe("''=x");
    expect(unneutralizeFormula("'plain")).toBe("'plain");
  });

  it('writes report --format csv with the cohort label neutralised', () => {
    const row = (cohort: string | null, median: number | null): ReportRow => ({
      ...{ cohort, invited: 2, sent: 2, redeemed: 1, pending: 1, expired: 0, revoked: 0 },
      ...{ bounced: 0, failed: 0 },
      ...{ redemptionRate: 0.5, medianSecondsToRedeem: median },
    });
    expect(
      reportCsv({
        cohorts: [row('=HYPERLINK("x")', -1.5), row('plain', null)],
        total: row(null, 7),
      }),
    ).toMatchInlineSnapshot(`
      "level,cohort,invited,sent,redeemed,pending,expired,revoked,bounced,failed,redemption_rate,median_seconds_sent_to_redeemed
      cohort,"'=HYPERLINK(""x"")",2,2,1,1,0,0,0,0,0.5000,-1.5
      cohort,plain,2,2,1,1,0,0,0,0,0.5000,
      total,,2,2,1,1,0,0,0,0,0.5000,7
      "
    `);
  });
});
