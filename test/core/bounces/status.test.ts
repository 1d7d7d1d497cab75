import { describe, expect, it } from 'vitest';
import { parseImapUrl } from '../../../src/core/bounces/imap-url.js';
import { classifyReport, classifyText } from '../../../src/core/bounces/status.js';
import { compileReturnPath } from '../../../src/core/bounces/verp.js';

describe('classifyReport', () => {
  it('takes the Status field first, then an X.Y.Z in Diagnostic-Code, never words', () => {
    expect(classifyReport('5.1.1', 'smtp; 450 4.2.2 full')).toEqual({
      status: '5.1.1',
      kind: 'hard',
    });
    expect(classifyReport('4.4.7 (delivery time expired)', undefined)).toEqual({
      status: '4.4.7',
      kind: 'soft',
    });
    expect(classifyReport('failed', 'smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound')).toEqual({
      status: '5.1.10',
      kind: 'hard',
    });
    expect(classifyReport(undefined, 'smtp; 550-5.7.1 [203.0.113.5] rejected')).toEqual({
      status: '5.7.1',
      kind: 'hard',
    });
    // A success code in a failure report, an address, a bare reply code, plain words: unknown.
    for (const [status, diagnostic] of [
      ['2.0.0', undefined],
      [undefined, 'smtp; 550 host 10.5.1.1 said no'],
      [undefined, 'smtp; 550 mailbox unavailable (permanent)'],
      ['5.1', 'X-Unix; user unknown'],
      ['51.1.1', undefined],
    ] as const) {
      expect(classifyReport(status, diagnostic)).toEqual({ status: null, kind: 'unknown' });
    }
  });

  it('reads a classic bounce only from a code after an SMTP reply code', () => {
    expect(classifyText('SMTP error:\n    550 5.1.1 <a@b>: no such user')).toEqual({
      status: '5.1.1',
      kind: 'hard',
    });
    expect(classifyText('host mx [10.5.1.1]\n  retry timeout exceeded 5.1.1')).toEqual({
      status: null,
      kind: 'unknown',
    });
  });
});

describe('compileReturnPath', () => {
  it('matches the invite part, case-insensitively, and nothing else', () => {
    const verp = compileReturnPath('bounces+{invite}@Example.org');
    expect(verp.match('BOUNCES+abc-123@example.ORG')).toBe('abc-123');
    expect(verp.match('bouncesXabc@example.org')).toBeUndefined();
    expect(verp.match('bounces+abc@example.org.evil')).toBeUndefined();
  });

  it('refuses a pattern without exactly one {invite} (usage)', () => {
    for (const bad of [
      'bounces@example.org',
      '{invite}+{invite}@x.org',
      '{invite}',
      'a {invite}@x',
    ])
      expect(() => compileReturnPath(bad)).toThrow(/--return-path must be one address/);
  });
});

describe('parseImapUrl', () => {
  it('defaults ports and mailbox, masks the password, requires TLS to another machine', () => {
    const remote = parseImapUrl('imap://ops:p%40ss@mail.example.org', undefined);
    expect(remote).toMatchObject({
      ...{ host: 'mail.example.org', port: 143, secure: false, user: 'ops', pass: 'p@ss' },
      ...{ mailbox: 'INBOX', requireTLS: true, rejectUnauthorized: true },
      label: 'imap://ops:***@mail.example.org/INBOX',
    });
    const local = parseImapUrl('imaps://ops@127.0.0.1/Bounces%2F2026', 'from-env');
    expect(local).toMatchObject({ port: 993, secure: true, pass: 'from-env', requireTLS: false });
    expect(local.mailbox).toBe('Bounces/2026');
    expect(parseImapUrl('imap://ops:x@localhost', undefined).requireTLS).toBe(false);
  });

  it('refuses bad timeouts and booleans without echoing the password', () => {
    expect(() => parseImapUrl('imaps://ops:hunter2@h/INBOX?socketTimeout=0', undefined)).toThrow(
      'the IMAP URL\'s socketTimeout must be a number of milliseconds from 1 to 3600000 (got "0")',
    );
    expect(() => parseImapUrl('imaps://ops:hunter2@h/?requireTLS=yes', undefined)).toThrow(
      'the IMAP URL\'s requireTLS must be true or false (got "yes")',
    );
    expect(() => parseImapUrl('imaps://:hunter2@h/', undefined)).toThrow(
      'the IMAP URL names no user',
    );
  });
});
