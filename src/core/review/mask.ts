/** The parts of an invitation compared to find its template variant. */
export type PartName = 'subject' | 'text' | 'html';
export const PART_NAMES: readonly PartName[] = ['subject', 'text', 'html'];
export type Parts = Record<PartName, string>;

/** A French long date as render writes `expires_at`: "3 janvier 2027", "1er mai 2027". */
const FRENCH_DATE =
  /\b\d{1,2}(?:er)? (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}\b/g;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces what render knows is unique to a recipient (code, address, expiry date) by a
 * placeholder, so that two invitations of one variant differ only by their CSV values.
 */
export function maskRecipient(value: string, recipient: { code: string; email: string }): string {
  let out = value;
  if (recipient.code) out = out.split(recipient.code).join('{code}');
  if (recipient.email) {
    out = out.replace(new RegExp(escapeRegExp(recipient.email), 'gi'), '{email}');
  }
  return out.replace(FRENCH_DATE, '{date}');
}
