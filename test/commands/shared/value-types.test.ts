import { describe, expect, it } from 'vitest';
import {
  emailList,
  list,
  nonBlank,
  oneOf,
  rate,
  text,
  wholeNumber,
} from '../../../src/commands/shared/value-types.js';

describe('the option value parsers', () => {
  it('read what they accept into values', () => {
    expect(wholeNumber(1, 100)(' 42 ')).toEqual({ ok: true, value: 42 });
    expect(text('  a b  ')).toEqual({ ok: true, value: 'a b' });
    expect(list('a, b,,a ,c')).toEqual({ ok: true, value: ['a', 'b', 'c'] });
    expect(oneOf(['table', 'csv', 'json'])('csv')).toEqual({ ok: true, value: 'csv' });
    expect(rate('600/m')).toEqual({ ok: true, value: { text: '600/m', perSecond: 10 } });
    expect(rate('5')).toEqual({ ok: true, value: { text: '5', perSecond: 5 } });
    expect(emailList('a@example.org, b@example.net')).toEqual({
      ok: true,
      value: ['a@example.org', 'b@example.net'],
    });
  });

  it('say what is wrong with what they refuse, in the words of the usage error', () => {
    const refused = [
      wholeNumber()('0x10'),
      wholeNumber(1, 100)('101'),
      wholeNumber(1)(''),
      text('   '),
      list(' , '),
      oneOf(['table', 'csv', 'json'])('yaml'),
      oneOf(['text', 'json'])('JSON'),
      rate('10/d'),
      rate('0/s'),
      emailList('a@example.org,nobody'),
      nonBlank('expected a reason', { max: 5, message: 'keep it under 5' })('123456'),
    ].map((parsed) => (parsed.ok ? 'accepted' : parsed.problem));
    expect(refused).toMatchInlineSnapshot(`
      [
        "expected a whole number ≥ 0 (got "0x10")",
        "expected a whole number from 1 to 100 (got "101")",
        "expected a whole number ≥ 1 (got "")",
        "expected a value",
        "expected a comma-separated list, e.g. a,b,c",
        "expected table, csv or json",
        "expected text or json",
        "expected N/s, N/m or N/h, e.g. 10/s (got "10/d")",
        "expected N/s, N/m or N/h, e.g. 10/s (got "0/s")",
        ""nobody" is not an email address (email has no @)",
        "keep it under 5",
      ]
    `);
  });
});
