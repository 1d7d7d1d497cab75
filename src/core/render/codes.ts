import { randomBytes } from 'node:crypto';

/** 32 symbols: A–Z and 2–9 without I and L (0, 1, I, L are too easy to misread). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNOPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 16;

/**
 * A fresh invite code: 16 symbols, 5 random bits each (80 bits). Taking each byte modulo
 * 32 is uniform because 256 is a multiple of 32.
 */
export function generateCode(random: (n: number) => Uint8Array = randomBytes): string {
  return generateCodes(1, random)[0] ?? '';
}

/**
 * `count` fresh codes from one draw of randomness (a batch's worth: one call to the
 * system's generator instead of one per code, which cost 25 µs a code).
 */
export function generateCodes(
  count: number,
  random: (n: number) => Uint8Array = randomBytes,
): string[] {
  const bytes = random(count * CODE_LENGTH);
  const codes: string[] = [];
  for (let at = 0; at < count * CODE_LENGTH; at += CODE_LENGTH) {
    let code = '';
    for (let i = at; i < at + CODE_LENGTH; i++) code += CODE_ALPHABET[(bytes[i] ?? 0) & 31];
    codes.push(code);
  }
  return codes;
}

/** How an operator may type a code: any case, with spaces or dashes. */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

export function isCode(input: string): boolean {
  return new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`).test(input);
}
