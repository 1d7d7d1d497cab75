import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/core/errors.js';
import { parseSmtpUrl } from '../../../src/core/transports/smtp-url.js';

function refusal(url: string): string {
  try {
    parseSmtpUrl(url);
  } catch (error) {
    return errorMessage(error);
  }
  return 'accepted';
}

describe('parseSmtpUrl', () => {
  it('reads host, port, login (percent-decoded) and masks the password in the label', () => {
    const parsed = parseSmtpUrl('smtp://launch%40example.org:p%40ss%3Aw0rd@relay.example.org:2525');
    expect(parsed).toMatchObject({
      host: 'relay.example.org',
      port: 2525,
      secure: false,
      user: 'launch@example.org',
      pass: 'p@ss:w0rd',
      requireTLS: false,
      ignoreTLS: false,
      rejectUnauthorized: true,
      label: 'smtp://launch%40example.org:***@relay.example.org:2525',
    });
    expect(parsed.label).not.toContain('w0rd');
  });

  it('defaults to 587 (STARTTLS when offered) and 465 for smtps://', () => {
    expect(parseSmtpUrl('smtp://relay.example.org')).toMatchObject({
      port: 587,
      secure: false,
      user: undefined,
      label: 'smtp://relay.example.org',
    });
    expect(parseSmtpUrl('smtps://u@relay.example.org')).toMatchObject({
      port: 465,
      secure: true,
      user: 'u',
      pass: undefined,
      label: 'smtps://u@relay.example.org',
    });
  });

  it('takes the TLS switches from the query', () => {
    const parsed = parseSmtpUrl(
      'smtp://h:25?requireTLS=true&tls.rejectUnauthorized=false&name=launch.example.org',
    );
    expect(parsed).toMatchObject({
      requireTLS: true,
      rejectUnauthorized: false,
      name: 'launch.example.org',
    });
    expect(parseSmtpUrl('smtp://h?ignoreTLS=1').ignoreTLS).toBe(true);
  });

  it('says what is wrong without echoing the URL', () => {
    expect(
      [
        'smtp//user:secret@host',
        'https://user:secret@host',
        'smtp://user:secret@host?pool=true',
        'smtp://h?requireTLS=maybe',
      ].map(refusal),
    ).toMatchInlineSnapshot(`
      [
        "the SMTP URL is not a valid URL",
        "the SMTP URL must start with smtp:// or smtps:// (got https://)",
        "the SMTP URL has an unknown parameter "pool"",
        "the SMTP URL's requireTLS must be true or false (got "maybe")",
      ]
    `);
  });
});
