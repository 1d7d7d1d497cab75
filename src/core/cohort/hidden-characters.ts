/**
 * Characters no cohort cell may hold: C0 controls (tab, CR and LF inside quotes
 * included), DEL and C1 controls, which a terminal may run as commands when a value is
 * printed; and zero-width and direction-override characters, which make two different
 * values look the same or reorder what is shown.
 */
export const HIDDEN_CHARACTER =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202e: 'right-to-left override',
  0xfeff: 'zero-width no-break space',
};

/** `U+001B` */
export function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What the first hidden character of `value` is (`U+001B (ESC)`), or undefined. */
export function hiddenCharacter(value: string): string | undefined {
  const match = HIDDEN_CHARACTER.exec(value);
  if (!match) return undefined;
  const code = match[0].codePointAt(0) ?? 0;
  const kind =
    NAMES[code] ??
    (code < 0x20 || (code >= 0x7f && code <= 0x9f) ? 'control character' : 'invisible character');
  return `${codePoint(match[0])} (${kind})`;
}
