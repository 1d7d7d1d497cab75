import type { Bounce } from './parse-bounce.js';
import { addressesIn, type ReturnPath } from './verp.js';

/** The invite a bounce is about, or why it cannot be told (never guessed). */
export type Attribution = { inviteId: string } | { problem: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * From the returned message's `X-Beta-Invite-Id` and, with `--return-path`, the VERP
 * address the bounce was delivered to. Two sources that disagree are a problem, not a choice.
 */
export function attribute(bounce: Bounce, returnPath: ReturnPath | undefined): Attribution {
  const found = new Set<string>();
  for (const value of bounce.inviteIds) {
    if (!UUID.test(value)) return { problem: `X-Beta-Invite-Id "${value}" is not an invite id` };
    found.add(value.toLowerCase());
  }
  if (returnPath) {
    for (const address of addressesIn(bounce.deliveredTo)) {
      const id = returnPath.match(address);
      if (id === undefined) continue;
      if (!UUID.test(id)) return { problem: `the return path ${address} names no invite id` };
      found.add(id.toLowerCase());
    }
  }
  const ids = [...found];
  if (ids.length > 1) return { problem: `it names several invites: ${ids.join(', ')}` };
  if (ids[0] !== undefined) return { inviteId: ids[0] };
  return {
    problem: returnPath
      ? `no X-Beta-Invite-Id in the returned headers, and no address matching ${returnPath.pattern}`
      : 'no X-Beta-Invite-Id in the returned headers (a VERP address needs --return-path)',
  };
}
