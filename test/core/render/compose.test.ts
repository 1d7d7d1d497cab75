import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeInvitation, type Invitation } from '../../../src/core/render/compose.js';
import { defaultTemplateDir, loadTemplates } from '../../../src/core/render/templates.js';
import {
  frenchInvitation as invitation,
  frenchSender as sender,
} from '../../helpers/invitation.js';

async function compose(extra: Partial<Invitation> = {}) {
  const { templates } = loadTemplates(defaultTemplateDir, ['name', 'locale']);
  return composeInvitation(
    { ...invitation, ...extra },
    { sender, templates, timeZone: 'Europe/Paris' },
  );
}

describe('composeInvitation', () => {
  it('builds the same bytes for the same invite (reruns converge)', async () => {
    expect((await compose()).equals(await compose())).toBe(true);
  });

  it('renders one message as pinned (fixed clock and code)', async () => {
    expect((await compose()).toString('utf8')).toMatchSnapshot();
  });

  it('parses into text and HTML parts carrying the same code, with French accents intact', async () => {
    const mail = await simpleParser(await compose());
    expect(mail.subject).toBe('Votre invitation à la bêta');
    expect(mail.from?.text).toBe('"L\'équipe bêta" <beta@example.org>');
    expect(mail.replyTo?.text).toBe('"Support" <support@example.org>');
    expect(mail.messageId).toBe('<invite-0b6f3c1e-5d2a-4c9e-8f10-3a7b9c2d4e51@example.org>');
    expect(mail.headers.get('x-beta-invite-id')).toBe(invitation.inviteId);
    expect(mail.date?.toISOString()).toBe('2026-11-26T17:00:00.000Z');
    expect(mail.text).toContain('Bonjour Zoë Vézina,');
    expect(mail.text).toContain("Votre code d'invitation : K7M2QX9PRT4WZ8HN");
    expect(mail.text).toContain('https://beta.example.org/inscription?code=K7M2QX9PRT4WZ8HN');
    expect(mail.text).toContain("valable jusqu'au 26 décembre 2026");
    expect(mail.html).toContain('K7M2QX9PRT4WZ8HN');
    expect(mail.html).toContain('Bonjour Zoë Vézina,');
    expect(mail.html).toContain(
      'href="https://beta.example.org/inscription?code&#x3D;K7M2QX9PRT4WZ8HN"',
    );
  });

  it('keeps hostile CSV values inside the body: no header injection, HTML escaped', async () => {
    const mail = await simpleParser(
      await compose({
        extras: { name: 'Eve\r\nBcc: victim@evil.test\r\n<script>alert(1)</script>', locale: 'fr' },
      }),
    );
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
  });

  it('marks preview messages', async () => {
    const mail = await simpleParser(await compose({ preview: true }));
    expect(mail.headers.get('x-beta-invite-preview')).toMatch(/^yes/);
  });
});
