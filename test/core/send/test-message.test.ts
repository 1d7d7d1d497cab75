import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { rehearsalMessage, testSubject } from '../../../src/core/send/test-message.js';

async function compose(subject: string, extra: object = {}): Promise<Buffer> {
  return new MailComposer({
    from: 'Équipe <beta@example.org>',
    to: 'ada@example.net',
    subject,
    text: 'Bonjour\n',
    ...extra,
  })
    .compile()
    .build();
}

describe('rehearsalMessage', () => {
  it('prefixes an encoded subject (long, folded, accented) and replaces To', async () => {
    const subject = `Votre invitation à la bêta — ${'très '.repeat(20)}longue`;
    const raw = await compose(subject);
    const copy = rehearsalMessage(raw, ['me@example.org', 'you@example.org']);
    const parsed = await simpleParser(copy);
    expect(parsed.subject).toBe(`[TEST] ${subject}`);
    expect(parsed.headers.get('to')).toMatchObject({ text: 'me@example.org, you@example.org' });
    expect(copy.toString('latin1')).not.toContain('ada@example.net');
    const body = (b: Buffer) => b.subarray(b.indexOf('\r\n\r\n'));
    expect(body(copy).equals(body(raw))).toBe(true);
  });

  it('prefixes a plain subject as text, and keeps LF line endings', () => {
    const raw = Buffer.from(
      'From: beta@example.org\nTo: ada@example.net\nSubject: Hello\n\nBody\n',
      'latin1',
    );
    expect(rehearsalMessage(raw, ['me@example.org']).toString('latin1')).toBe(
      'From: beta@example.org\nTo: me@example.org\nSubject: [TEST] Hello\n\nBody\n',
    );
  });

  it('writes the prefix as an encoded-word of its own before one', () => {
    expect(testSubject(' =?UTF-8?Q?b=C3=AAta?=')).toBe(
      '=?UTF-8?Q?=5BTEST=5D=20?= =?UTF-8?Q?b=C3=AAta?=',
    );
  });
});
