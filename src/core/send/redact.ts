import { redactUrls } from '../db/url.js';

/**
 * Masks the passwords of URLs and every occurrence of the given secrets (raw and
 * URL-encoded), for anything printed or written while sending.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  // Very short strings would mask ordinary words; URLs still lose their password whatever its length.
  const known = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => known.reduce((t, secret) => t.split(secret).join('***'), redactUrls(text));
}
