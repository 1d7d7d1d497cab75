import addressparser from 'nodemailer/lib/addressparser';

/** The headers of a rendered invitation that `send` relies on. */
export interface InviteHeaders {
  /** Envelope sender: the address of the From header. */
  from: string | undefined;
  /** Envelope recipients: the addresses of the To header. */
  to: string[];
  /** `X-Beta-Invite-Id`: the beta_invites row the message carries. */
  inviteId: string | undefined;
  /** `X-Beta-Invite-Preview`: rendered by `render --dry-run`, never to be sent. */
  preview: boolean;
  /** A Cc or Bcc header is present. */
  copies: boolean;
}

/** The header block of a message (up to the first empty line), unfolded. */
function headerLines(raw: Buffer): string[] {
  // Only the header block is decoded: the body is most of the bytes.
  const ends = [raw.indexOf('\r\n\r\n'), raw.indexOf('\n\n')].filter((i) => i >= 0);
  const block = raw.toString('utf8', 0, ends.length > 0 ? Math.min(...ends) : raw.length);
  return block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
}

/** The first value of each header, by lower-case name. */
function headerMap(raw: Buffer): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of headerLines(raw)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return map;
}

function addresses(value: string | undefined): string[] {
  if (!value) return [];
  return addressparser(value, { flatten: true })
    .map((a) => a.address)
    .filter((a) => a !== '');
}

/** Reads From, To and the invite headers of an .eml file. */
export function readInviteHeaders(raw: Buffer): InviteHeaders {
  const headers = headerMap(raw);
  return {
    from: addresses(headers.get('from'))[0],
    to: addresses(headers.get('to')),
    inviteId: headers.get('x-beta-invite-id'),
    preview: headers.has('x-beta-invite-preview'),
    copies: headers.has('cc') || headers.has('bcc'),
  };
}
