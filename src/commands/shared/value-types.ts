import { emailProblem } from '../../core/cohort/email.js';

/**
 * Parsers of option values. Each reads the text an operator typed (on the command line,
 * in the environment or as a default) and says what is wrong in words. Plain functions,
 * not zod schemas: every command parses its options before it runs, and zod's 99
 * modules took 50 ms to load for checks as small as these (a third of `--help`).
 */

/** What a parser made of a text: the value, or what is wrong with the text. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Reads an option's text into its value. */
export type Parser<T> = (text: string) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = (text: string): Parsed<never> => ({ ok: false, problem: text });

/**
 * A parser whose value goes on to `next`, which may still refuse it. (Not named `then`:
 * a module exporting `then` is a thenable, and `await import()` of it never settles.)
 */
export function refine<T, U>(parser: Parser<T>, next: (value: T) => Parsed<U>): Parser<U> {
  return (text) => {
    const first = parser(text);
    return first.ok ? next(first.value) : first;
  };
}

/** A whole number written in decimal digits (not `0x10`, `1e3` or an empty string). */
export function wholeNumber(min = 0, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `a whole number ≥ ${min}`
      : `a whole number from ${min} to ${max}`;
  return (text) => {
    const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return ok(value);
    return problem(`expected ${range} (got "${text}")`);
  };
}

/** Free text that must not be blank, without its surrounding blanks. */
export function nonBlank(message: string, maxLength?: { max: number; message: string }) {
  return (text: string): Parsed<string> => {
    const trimmed = text.trim();
    if (trimmed.length === 0) return problem(message);
    if (maxLength && trimmed.length > maxLength.max) return problem(maxLength.message);
    return ok(trimmed);
  };
}

/** Free text that must not be blank. */
export const text: Parser<string> = nonBlank('expected a value');

/** A comma-separated list of non-empty items (`a,b,c`); a list of nothing is an error. */
export const list: Parser<string[]> = (value) => {
  const items = [...new Set(value.split(',').map((item) => item.trim()))].filter(Boolean);
  if (items.length > 0) return ok(items);
  return problem('expected a comma-separated list, e.g. a,b,c');
};

/** One of a few words. */
export function oneOf<const W extends readonly [string, ...string[]]>(words: W): Parser<W[number]> {
  const names =
    words.length === 2 ? words.join(' or ') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
  return (text) =>
    (words as readonly string[]).includes(text) ? ok(text) : problem(`expected ${names}`);
}

const PER = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 } as const;

/** `--rate 10/s`, `600/m`, `5000/h` or a bare number (per second). */
export const rate: Parser<{ text: string; perSecond: number }> = (value) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([a-z]+))?\s*$/i.exec(value);
  const unit = (match?.[2] ?? 's').toLowerCase();
  const per = unit in PER ? PER[unit as keyof typeof PER] : undefined;
  const perSecond = Number(match?.[1]);
  if (!match || per === undefined || !(perSecond > 0)) {
    return problem(`expected N/s, N/m or N/h, e.g. 10/s (got "${value}")`);
  }
  return ok({ text: value.trim(), perSecond: perSecond / per });
};

/** A comma-separated list of email addresses (`me@example.org,you@example.org`). */
export const emailList: Parser<string[]> = refine(list, (items) => {
  for (const item of items) {
    const why = emailProblem(item);
    if (why !== null) return problem(`"${item}" is not an email address (${why})`);
  }
  return ok(items);
});
