import { randomBytes } from 'node:crypto';

/** 32 symbols: A–Z and 2–9 without I and L (0, 1, I, L are too easy to misread). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNOPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 16;

/**
 * A fresh invite code: 16 symbols, 5 random bits each (80 bits). Taking each byte modulo
 * 32 is uniform because 256 is a multiple of 32.
 */
export function generateCode(random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += CODE_ALPHABET[byte & 31];
  return code;
}

/** How an operator may type a code: any case, with spaces or dashes. */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

export function isCode(input: string): boolean {
  return new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`).test(input);
}
