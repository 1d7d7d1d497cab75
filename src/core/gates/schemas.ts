import { z } from 'zod';

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An absolute http:// or https:// URL. */
export const httpUrl = z.string().refine(isHttpUrl, {
  error: 'expected an http:// or https:// URL',
});

/**
 * The *name* of an environment variable holding a secret. Upper case only, so that a
 * token pasted here by mistake (`ghp_…`, `sntrys_…`) is refused instead of being used,
 * and then echoed in a "not set" message.
 */
export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,63}$/, {
  error: 'expected the name of an environment variable (like SENTRY_TOKEN), not the secret',
});

/** A whole number ≥ 0 (a maximum or minimum count). */
export const wholeNumber = z
  .number()
  .int({ error: 'expected a whole number' })
  .min(0, { error: 'expected a whole number ≥ 0' });
