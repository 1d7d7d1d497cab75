import { encodeWord } from 'nodemailer/lib/mime-funcs';

/** What a rehearsal adds in front of the subject. */
export const TEST_PREFIX = '[TEST] ';

/** Where the header block ends (the empty line), or the whole message when there is none. */
function headerEnd(raw: Buffer): number {
  const ends = [raw.indexOf('\r\n\r\n'), raw.indexOf('\n\n')].filter((i) => i >= 0);
  return ends.length > 0 ? Math.min(...ends) : raw.length;
}

/** The header block cut into fields, each with its folded continuation lines. */
function fields(block: string, eol: string): string[] {
  const out: string[] = [];
  for (const line of block.split(eol)) {
    const last = out.length - 1;
    if (/^[ \t]/.test(line) && last >= 0) out[last] += eol + line;
    else out.push(line);
  }
  return out;
}

/**
 * `[TEST] ` in front of a subject. An RFC 2047 subject gets it as an encoded-word of its
 * own: decoders join adjacent encoded-words, so the text reads "[TEST] Votre invitation…"
 * whatever the charset and folding of the rest. A plain subject gets it as plain text.
 */
export function testSubject(value: string): string {
  const text = value.replace(/^[ \t]+/, '');
  if (text.startsWith('=?')) return `${encodeWord(TEST_PREFIX, 'Q')} ${text}`;
  return TEST_PREFIX + text;
}

/**
 * The bytes of a rehearsal message: the file's bytes, except its To header (the test
 * addresses) and its Subject (prefixed with `[TEST] `). Headers are read as latin1 so
 * that every other byte, 8-bit or not, comes out unchanged.
 */
export function rehearsalMessage(raw: Buffer, testTo: readonly string[]): Buffer {
  const end = headerEnd(raw);
  const block = raw.toString('latin1', 0, end);
  const eol = block.includes('\r\n') ? '\r\n' : '\n';
  let subject = false;
  const head = fields(block, eol).map((field) => {
    const colon = field.indexOf(':');
    const name = colon > 0 ? field.slice(0, colon).trim().toLowerCase() : '';
    if (name === 'to') return `${field.slice(0, colon)}: ${testTo.join(', ')}`;
    if (name !== 'subject' || subject) return field;
    subject = true;
    return `${field.slice(0, colon)}: ${testSubject(field.slice(colon + 1))}`;
  });
  if (!subject) head.push(`Subject: ${TEST_PREFIX.trim()}`);
  return Buffer.concat([Buffer.from(head.join(eol), 'latin1'), raw.subarray(end)]);
}
