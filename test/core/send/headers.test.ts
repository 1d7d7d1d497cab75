import { describe, expect, it } from 'vitest';
import { readInviteHeaders } from '../../../src/core/send/headers.js';
import { composeEml } from '../../helpers/outdir.js';

describe('readInviteHeaders', () => {
  it('reads the envelope and the invite id of a composed invitation', async () => {
    const raw = await composeEml({
      id: '0b6f5c3e-8f1a-4c5e-9d7a-2b1c3d4e5f60',
      code: 'ABCDEFGHJKMNPQRS',
      email: 'Alice@Example.org',
    });
    expect(readInviteHeaders(raw)).toEqual({
      from: 'beta@example.org',
      // The composer lower-cases the domain (IDN normalisation); send compares case-insensitively.
      to: ['Alice@example.org'],
      inviteId: '0b6f5c3e-8f1a-4c5e-9d7a-2b1c3d4e5f60',
      preview: false,
      extraRecipients: [],
    });
  });

  it('unfolds headers, ignores the body, and sees a preview marker', () => {
    const raw = Buffer.from(
      [
        'From: "Équipe, Bêta" <beta@example.org>',
        'To: "Bob" <bob@example.net>,',
        ' carol@example.net',
        'X-Beta-Invite-Id: abc',
        'X-Beta-Invite-Preview: yes',
        'Bcc: eve@example.com',
        '',
        'To: mallory@example.com',
        '',
      ].join('\r\n'),
    );
    expect(readInviteHeaders(raw)).toEqual({
      from: 'beta@example.org',
      to: ['bob@example.net', 'carol@example.net'],
      inviteId: 'abc',
      preview: true,
      extraRecipients: ['a Bcc header'],
    });
  });

  it('copes with LF line endings and a message without a body', () => {
    expect(readInviteHeaders(Buffer.from('From: a@b.org\nTo: c@d.org\n\nhello\n')).to).toEqual([
      'c@d.org',
    ]);
    expect(readInviteHeaders(Buffer.from('Subject: nothing else'))).toEqual({
      from: undefined,
      to: [],
      inviteId: undefined,
      preview: false,
      extraRecipients: [],
    });
  });
});

describe('extra recipients', () => {
  it('lists every recipient header besides the first To, in any case', () => {
    const raw = Buffer.from(
      [
        'From: beta@example.org',
        'To: alice@example.org',
        'resent-bcc: eve@example.com',
        'Resent-To: mallory@example.com',
        'RESENT-CC: trent@example.com',
        'Cc: carol@example.com',
        'to: bob@example.com',
        '',
        'body',
      ].join('\r\n'),
    );
    const h = readInviteHeaders(raw);
    expect(h.to).toEqual(['alice@example.org']);
    expect(h.extraRecipients).toEqual([
      'a resent-bcc header',
      'a Resent-To header',
      'a RESENT-CC header',
      'a Cc header',
      'a second To header',
    ]);
  });
});
