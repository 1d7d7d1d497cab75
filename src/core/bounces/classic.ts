import { parseFields } from './header-block.js';
import { classifyText, type Classified } from './status.js';

/** What a classic (plain-text, non-RFC 3464) bounce says about its one failure. */
export interface ClassicReport extends Classified {
  action: string;
  diagnostic: string | null;
  recipient: string | null;
  inviteIds: string[];
}

/** Exim's line between its explanation and the returned message. */
const COPY_SEPARATOR = /^-{3,}\s*This is a copy of the message.*$/im;
const FAILED_LIST = /^.*following address(?:\(es\)|es)? failed:?\s*$/im;

/**
 * Reads Exim's classic bounce ("This message was created automatically by mail delivery
 * software", `X-Failed-Recipients`): the status only from an SMTP reply quoted in the
 * explanation, never from its wording; the invite from the returned headers.
 */
export function readClassic(text: string, failedRecipients: string | undefined): ClassicReport {
  const separator = COPY_SEPARATOR.exec(text);
  const explanation = separator ? text.slice(0, separator.index) : text;
  const returned = separator ? text.slice(separator.index + separator[0].length) : '';
  const recipient = failedRecipients?.split(',')[0]?.trim() || null;
  return {
    ...classifyText(explanation),
    action: 'failed',
    diagnostic: diagnosticOf(explanation, recipient),
    recipient,
    inviteIds: parseFields(returned.replace(/^\s*\n/, '')).get('x-beta-invite-id') ?? [],
  };
}

/** The lines under the failed address: the remote server's words. */
function diagnosticOf(explanation: string, recipient: string | null): string | null {
  const list = FAILED_LIST.exec(explanation);
  if (!list) return null;
  const lines = explanation
    .slice(list.index + list[0].length)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && l.toLowerCase() !== recipient?.toLowerCase());
  return lines.length > 0 ? lines.join(' ').slice(0, 1_000) : null;
}
