import { z } from 'zod';
import { redactUrls } from '../core/db/url.js';
import { count } from './options.js';

const PER = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 } as const;

/** `--rate 10/s`, `600/m`, `5000/h` or a bare number (per second). */
export const rate = z.string().transform((text, ctx) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([a-z]+))?\s*$/i.exec(text);
  const unit = (match?.[2] ?? 's').toLowerCase();
  const per = unit in PER ? PER[unit as keyof typeof PER] : undefined;
  const value = Number(match?.[1]);
  if (!match || per === undefined || !(value > 0)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected N/s, N/m or N/h, e.g. 10/s (got "${text}")`,
    });
    return z.NEVER;
  }
  return { text: text.trim(), perSecond: value / per };
});

export const DEFAULTS = { concurrency: 8, retries: 3, maxErrors: 10 } as const;

export const sendSchema = z
  .object({
    dir: z.string().min(1),
    confirm: z.boolean().default(false),
    sendCmd: z.string().optional(),
    smtp: z.string().optional(),
    rate: rate.optional(),
    concurrency: count
      .min(1, { error: 'expected a whole number ≥ 1' })
      .max(100, { error: 'expected at most 100' })
      .default(DEFAULTS.concurrency),
    retries: count.max(20, { error: 'expected at most 20' }).default(DEFAULTS.retries),
    maxErrors: count.default(DEFAULTS.maxErrors),
    acceptEdits: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

export type SendFlags = z.infer<typeof sendSchema>;

/** Quotes one word so that a POSIX shell reads it back unchanged. */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that sends (or resumes) this run for real, with the flags that were given;
 * an SMTP password in --smtp is shown as ***.
 */
export function confirmCommand(flags: SendFlags): string {
  const words = ['beta-invites', 'send', flags.dir, '--confirm'];
  if (flags.smtp !== undefined) words.push('--smtp', redactUrls(flags.smtp));
  if (flags.sendCmd !== undefined) words.push('--send-cmd', flags.sendCmd);
  if (flags.rate) words.push('--rate', flags.rate.text);
  if (flags.concurrency !== DEFAULTS.concurrency)
    words.push('--concurrency', String(flags.concurrency));
  if (flags.retries !== DEFAULTS.retries) words.push('--retries', String(flags.retries));
  if (flags.maxErrors !== DEFAULTS.maxErrors) words.push('--max-errors', String(flags.maxErrors));
  if (flags.acceptEdits) words.push('--accept-edits');
  return words.map(quoteWord).join(' ');
}

/** True when --smtp carries a password (masked in hints, and visible in `ps` and shell history). */
export function passwordInFlag(flags: SendFlags): boolean {
  return flags.smtp !== undefined && redactUrls(flags.smtp) !== flags.smtp;
}
