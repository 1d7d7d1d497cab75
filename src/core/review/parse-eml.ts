import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';

/** What the review page shows of one .eml, decoded (MIME words, quoted-printable). */
export interface ParsedEml {
  subject: string;
  from: string;
  replyTo: string;
  /** The addresses of To, lower-cased. */
  to: string[];
  /** The headers worth reading in a review, in the file's order, decoded. */
  headers: [name: string, value: string][];
  /** The HTML part's source; '' when there is none. */
  html: string;
  /** The text part; '' when there is none. */
  text: string;
}

/**
 * Headers shown with each sample, in this order (what a reader sees first, then the
 * identifiers); the rest (MIME structure) says nothing to a reviewer.
 */
const SHOWN = [
  'from',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'x-beta-invite-id',
  'x-beta-invite-preview',
];

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((a) => a.value)
    .map((a) => (a.address ?? '').toLowerCase());
}

function headerText(name: string, value: HeaderValue): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    'text' in value &&
    typeof value.text === 'string'
  )
    return value.text;
  return name === 'subject' ? '' : JSON.stringify(value);
}

/**
 * Parses an invitation with mailparser. The text is not converted to HTML nor the HTML to
 * text: the review shows each part exactly as the recipient's client would get it.
 */
export async function parseEml(bytes: Buffer): Promise<ParsedEml> {
  const mail = await simpleParser(bytes, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  const headers: [string, string][] = [];
  const lines = [...mail.headerLines].sort((a, b) => SHOWN.indexOf(a.key) - SHOWN.indexOf(b.key));
  for (const line of lines) {
    const value = mail.headers.get(line.key);
    if (SHOWN.includes(line.key) && value !== undefined) {
      headers.push([line.line.slice(0, line.line.indexOf(':')), headerText(line.key, value)]);
    }
  }
  return {
    subject: mail.subject ?? '',
    from: addressText(mail.from),
    replyTo: addressText(mail.replyTo),
    to: addresses(mail.to),
    headers,
    html: typeof mail.html === 'string' ? mail.html : '',
    text: mail.text ?? '',
  };
}
