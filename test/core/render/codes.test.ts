import { describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  generateCode,
  generateCodes,
  isCode,
  normalizeCode,
} from '../../../src/core/render/codes.js';

describe('invite codes', () => {
  it('uses 32 distinct symbols without 0, 1, I or L', () => {
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    expect(CODE_ALPHABET).not.toMatch(/[01IL]/);
  });

  it('maps each random byte to one symbol, uniformly (byte & 31)', () => {
    const bytes = Uint8Array.from({ length: CODE_LENGTH }, (_, i) => i * 16 + (i % 32));
    const code = generateCode(() => bytes);
    expect(code).toHaveLength(16);
    expect([...code].map((ch) => CODE_ALPHABET.indexOf(ch))).toEqual([...bytes].map((b) => b & 31));
    // Every symbol is reached by exactly 8 of the 256 byte values.
    const hits = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const ch = generateCode(() => new Uint8Array(CODE_LENGTH).fill(b))[0] ?? '';
      hits.set(ch, (hits.get(ch) ?? 0) + 1);
    }
    expect([...hits.values()].every((n) => n === 8)).toBe(true);
    expect(hits.size).toBe(32);
  });

  it('draws fresh codes from crypto randomness', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(isCode(code)).toBe(true);
  });

  it('draws a batch of codes from one call, each from its own 16 bytes', () => {
    const sizes: number[] = [];
    const bytes = Uint8Array.from({ length: 3 * CODE_LENGTH }, (_, i) => i);
    const codes = generateCodes(3, (n) => (sizes.push(n), bytes));
    expect(sizes).toEqual([48]);
    expect(codes).toEqual([
      generateCode(() => bytes.subarray(0, 16)),
      generateCode(() => bytes.subarray(16, 32)),
      generateCode(() => bytes.subarray(32, 48)),
    ]);
    const drawn = generateCodes(1000);
    expect(new Set(drawn).size).toBe(1000);
    for (const code of drawn) expect(isCode(code)).toBe(true);
  });

  it('normalizes what an operator types', () => {
    expect(normalizeCode(' abcd-efgh jkmn-pqrs ')).toBe('ABCDEFGHJKMNPQRS');
    expect(isCode('ABCDEFGHJKMNPQRS')).toBe(true);
    expect(isCode('ABCDEFGHIKMNPQRS')).toBe(false);
    expect(isCode('PREVIEWABCDEFGHJ')).toBe(false);
  });
});
