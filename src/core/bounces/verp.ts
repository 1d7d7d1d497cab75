import { UsageError } from '../errors.js';

/** `--return-path 'bounces+{invite}@example.org'`: the invite id inside a VERP address. */
export interface ReturnPath {
  pattern: string;
  /** The invite part of `address` when it matches the pattern. */
  match(address: string): string | undefined;
  /** The envelope sender of one invite's message: the pattern with its id. */
  address(inviteId: string): string;
}

const PLACEHOLDER = '{invite}';
const ADDRESS = /[^\s<>,;"()]+@[^\s<>,;"()]+/g;

/** Compiles the pattern, or says why it is unusable (exit 64). */
export function compileReturnPath(pattern: string): ReturnPath {
  const parts = pattern.split(PLACEHOLDER);
  if (parts.length !== 2 || !pattern.includes('@') || /\s/.test(pattern)) {
    throw new UsageError(
      `--return-path must be one address with {invite} once in it (got "${pattern}")`,
      'for example --return-path "bounces+{invite}@example.org"',
    );
  }
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const regex = new RegExp(`^${parts.map(escape).join('([^@\\s]+?)')}$`, 'i');
  return {
    pattern,
    match: (address) => regex.exec(address)?.[1],
    address: (inviteId) => parts.join(inviteId),
  };
}

/** The bare addresses of header values such as `Name <a@b>, c@d`. */
export function addressesIn(values: string[]): string[] {
  return values.flatMap((v) => v.match(ADDRESS) ?? []);
}
