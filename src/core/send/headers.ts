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
  /**
   * Headers besides the first To that name recipients (`a Bcc header`, `a second To
   * header`, `a Resent-To header`…): a command run with -t, a relay or a mail client
   * could deliver to them, so a message carrying any is never sent.
   */
  extraRecipients: string[];
}

/** The header block of a message (up to the first empty line), unfolded. */
function headerLines(raw: Buffer): string[] {
  // Only the header block is decoded: the body is most of the bytes.
  const ends = [raw.indexOf('\r\n\r\n'), raw.indexOf('\n\n')].filter((i) => i >= 0);
  const block = raw.toString('utf8', 0, ends.length > 0 ? Math.min(...ends) : raw.length);
  return block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
}

/** Each header as (lower-case name, name as written, value), in order. */
function headerList(raw: Buffer): { key: string; name: string; value: string }[] {
  const list: { key: string; name: string; value: string }[] = [];
  for (const line of headerLines(raw)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    list.push({ key: name.toLowerCase(), name, value: line.slice(colon + 1).trim() });
  }
  return list;
}

/** Every header a mail system may take recipients from (RFC 5322 §3.6.3, §3.6.6). */
const RECIPIENT_HEADERS = new Set(['to', 'cc', 'bcc', 'resent-to', 'resent-cc', 'resent-bcc']);

function extraRecipients(list: { key: string; name: string }[]): string[] {
  const extra: string[] = [];
  let to = 0;
  for (const { key, name } of list) {
    if (!RECIPIENT_HEADERS.has(key)) continue;
    if (key === 'to' && to++ === 0) continue;
    extra.push(key === 'to' ? 'a second To header' : `a ${name} header`);
  }
  return extra;
}

function addresses(value: string | undefined): string[] {
  if (!value) return [];
  return addressparser(value, { flatten: true })
    .map((a) => a.address)
    .filter((a) => a !== '');
}

/** Reads From, To and the invite headers of an .eml file. */
export function readInviteHeaders(raw: Buffer): InviteHeaders {
  const list = headerList(raw);
  const first = (key: string) => list.find((h) => h.key === key)?.value;
  return {
    from: addresses(first('from'))[0],
    to: addresses(first('to')),
    inviteId: first('x-beta-invite-id'),
    preview: first('x-beta-invite-preview') !== undefined,
    extraRecipients: extraRecipients(list),
  };
}
