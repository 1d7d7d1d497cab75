import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { notFound, parseTarget } from '../../../src/core/ops/target.js';

describe('parseTarget', () => {
  it('reads an argument with @ as an address, as typed', () => {
    expect(parseTarget('  Ana@Example.COM ')).toEqual({ kind: 'email', email: 'Ana@Example.COM' });
  });

  it('normalises a code: any case, spaces and dashes removed', () => {
    expect(parseTarget('abcd-efgh jkmn-pqrs')).toEqual({
      kind: 'code',
      code: 'ABCDEFGHJKMNPQRS',
      wellFormed: true,
    });
    expect(parseTarget('hello')).toEqual({ kind: 'code', code: 'HELLO', wellFormed: false });
  });

  it('refuses an empty argument', () => {
    expect(() => parseTarget(' - ')).toThrow(UsageError);
  });

  it('says what to check when nothing matched', () => {
    expect(notFound(parseTarget('hello')).hint).toBe(
      'HELLO is not an invite code: 16 letters and digits, without 0, 1, I or L',
    );
    expect(notFound(parseTarget('ana@example.com')).message).toBe(
      'no invite found for ana@example.com',
    );
  });
});
