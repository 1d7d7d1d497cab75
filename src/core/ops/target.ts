import { UsageError, UserError } from '../errors.js';
import { isCode, normalizeCode } from '../render/codes.js';

/** What `show` and `revoke` look for: an address, or a code as the operator typed it. */
export type Target =
  { kind: 'email'; email: string } | { kind: 'code'; code: string; wellFormed: boolean };

/**
 * An argument with an `@` is an address (matched without case); anything else is a code,
 * upper-cased and stripped of spaces and dashes, as a recipient may read it out.
 */
export function parseTarget(input: string): Target {
  const text = input.trim();
  if (text.includes('@')) return { kind: 'email', email: text };
  const code = normalizeCode(text);
  if (code === '') {
    throw new UsageError(
      'expected an invite code or an email address',
      'for example: beta-invites show ABCD-EFGH-JKMN-PQRS',
    );
  }
  return { kind: 'code', code, wellFormed: isCode(code) };
}

/** How messages name a target. */
export function describeTarget(target: Target): string {
  return target.kind === 'email' ? target.email : `code ${target.code}`;
}

/** Nothing matched: exit 1, with what to check next. */
export function notFound(target: Target): UserError {
  if (target.kind === 'email') {
    return new UserError(`no invite found for ${target.email}`, {
      hint: 'addresses are matched without case; beta-invites sweep anonymises invites long expired and never redeemed',
    });
  }
  return new UserError(`no invite found with code ${target.code}`, {
    hint: target.wellFormed
      ? 'codes are matched without case, spaces or dashes; check it with the recipient'
      : `${target.code} is not an invite code: 16 letters and digits, without 0, 1, I or L`,
  });
}
