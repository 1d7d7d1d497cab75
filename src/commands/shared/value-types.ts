import { z } from 'zod';
import { emailProblem } from '../../core/cohort/email.js';

/**
 * Parsers of option values. Each reads the text an operator typed (on the command line,
 * in the environment or as a default) and says what is wrong in words.
 */

/** A whole number written in decimal digits (not `0x10`, `1e3` or an empty string). */
export function wholeNumber(min = 0, max = Number.MAX_SAFE_INTEGER): z.ZodType<number> {
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `a whole number ≥ ${min}`
      : `a whole number from ${min} to ${max}`;
  return z.string().transform((text, ctx) => {
    const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
    ctx.addIssue({ code: 'custom', message: `expected ${range} (got "${text}")` });
    return z.NEVER;
  });
}

/** Free text that must not be blank. */
export const text = z.string().trim().min(1, { error: 'expected a value' });

/** A comma-separated list of non-empty items (`a,b,c`); a list of nothing is an error. */
export const list = z.string().transform((value, ctx) => {
  const items = [...new Set(value.split(',').map((item) => item.trim()))].filter(Boolean);
  if (items.length > 0) return items;
  ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list, e.g. a,b,c' });
  return z.NEVER;
});

/** One of a few words. */
export function oneOf<const W extends readonly [string, ...string[]]>(words: W) {
  const names =
    words.length === 2 ? words.join(' or ') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
  return z.enum(words, { error: `expected ${names}` });
}

const PER = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 } as const;

/** `--rate 10/s`, `600/m`, `5000/h` or a bare number (per second). */
export const rate = z.string().transform((value, ctx) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([a-z]+))?\s*$/i.exec(value);
  const unit = (match?.[2] ?? 's').toLowerCase();
  const per = unit in PER ? PER[unit as keyof typeof PER] : undefined;
  const perSecond = Number(match?.[1]);
  if (!match || per === undefined || !(perSecond > 0)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected N/s, N/m or N/h, e.g. 10/s (got "${value}")`,
    });
    return z.NEVER;
  }
  return { text: value.trim(), perSecond: perSecond / per };
});

/** A comma-separated list of email addresses (`me@example.org,you@example.org`). */
export const emailList = list.transform((items, ctx) => {
  for (const item of items) {
    const problem = emailProblem(item);
    if (problem === null) continue;
    ctx.addIssue({ code: 'custom', message: `"${item}" is not an email address (${problem})` });
    return z.NEVER;
  }
  return items;
});
