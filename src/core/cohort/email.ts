/** The longest address accepted (RFC 5321 path limit as the schema stores it). */
export const MAX_EMAIL_LENGTH = 320;

// Dot-atom local part: atext runs separated by single dots (RFC 5322 §3.2.3).
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ATEXT_OR_DOT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]$/;
// Letters, digits and inner hyphens (RFC 1035 label), up to 63 characters.
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `email` is not a deliverable address in the practical RFC 5321/5322 form, or null
 * when it is. Quoted local parts and address literals are refused on purpose: they are
 * legal but never what a cohort list means.
 */
export function emailProblem(email: string): string | null {
  if (email === '') return 'email is empty';
  if (email.length > MAX_EMAIL_LENGTH) return `email is longer than ${MAX_EMAIL_LENGTH} characters`;
  if (/\s/.test(email)) return 'email contains a space';
  const at = email.lastIndexOf('@');
  if (at < 0) return 'email has no @';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === '') return 'email has nothing before the @';
  if (local.length > 64) return 'email local part is longer than 64 characters';
  if (!LOCAL.test(local)) {
    if (local.includes('@')) return 'email has more than one @';
    if (/^\.|\.$|\.\./.test(local))
      return 'email local part has a leading, trailing or doubled dot';
    const bad = [...local].find((c) => !ATEXT_OR_DOT.test(c)) ?? '';
    return `email local part has a character that is not allowed (${bad})`;
  }
  if (domain === '') return 'email has no domain';
  if (domain.length > 253) return 'email domain is longer than 253 characters';
  const labels = domain.split('.');
  if (labels.length < 2) return 'email domain has no dot';
  if (!labels.every((label) => LABEL.test(label))) return 'email domain is not a valid host name';
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return 'email domain ends in a number';
  return null;
}

/** The key duplicates are compared on: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

const GMAIL = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address most likely reaches: `+tag` removed everywhere, dots removed and
 * googlemail.com folded for Gmail. Two different keys with one canonical form are a
 * likely duplicate (a warning, not an error: some providers treat them as distinct).
 */
export function canonicalMailbox(key: string): string {
  const at = key.lastIndexOf('@');
  const plus = key.indexOf('+');
  // Most addresses are their own canonical form: answer without building a new string.
  if ((plus <= 0 || plus > at) && !key.endsWith('@gmail.com') && !key.endsWith('@googlemail.com'))
    return key;
  let local = key.slice(0, at);
  let domain = key.slice(at + 1);
  if (plus > 0 && plus < at) local = local.slice(0, plus);
  if (GMAIL.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
