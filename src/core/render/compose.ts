import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMessage } from './mime-build.js';
import type { SenderSettings } from './sender.js';
import { senderDomain } from './sender.js';
import type { Templates } from './templates.js';
import { frenchDate, signupUrl } from './variables.js';

/** One invitation to compose: the invite as stored, the recipient's row. */
export interface Invitation {
  inviteId: string;
  code: string;
  email: string;
  cohort: string;
  expiresAt: Date;
  /** When the invite row was created: the message's Date, so reruns give the same file. */
  createdAt: Date;
  /** The cohort row's extra columns (name, locale, …). */
  extras: Record<string, string>;
  preview?: boolean;
}

export interface ComposeSettings {
  sender: SenderSettings;
  templates: Templates;
  timeZone: string;
}

/** The template variables of one invitation. */
export function variablesOf(
  invitation: Invitation,
  settings: ComposeSettings,
): Record<string, string> {
  return {
    ...invitation.extras,
    code: invitation.code,
    email: invitation.email,
    cohort: invitation.cohort,
    signup_url: signupUrl(settings.sender.signupUrl, invitation.code),
    feedback_url: settings.sender.feedbackUrl,
    expires_at: frenchDate(invitation.expiresAt, settings.timeZone),
  };
}

/** The subject of one invitation: one line, so a CSV value never adds a header through it. */
export function subjectLine(templates: Templates, vars: Record<string, string>): string {
  return templates
    .subject(vars)
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

/**
 * Builds the .eml bytes with nodemailer's MIME composer: multipart/alternative text +
 * HTML, UTF-8. Message-ID, Date and the MIME boundary derive from the invite, so the
 * same invite always gives byte-identical files (a rerun converges; sha256 stays valid).
 * The bytes are built in one pass (see `buildMessage`), as nodemailer would stream them.
 */
export async function composeInvitation(
  invitation: Invitation,
  settings: ComposeSettings,
): Promise<Buffer> {
  const vars = variablesOf(invitation, settings);
  const { templates, sender } = settings;
  const headers: Record<string, string> = { 'X-Beta-Invite-Id': invitation.inviteId };
  if (invitation.preview)
    headers['X-Beta-Invite-Preview'] = 'yes: rendered with --dry-run, not a real invite';
  const composer = new MailComposer({
    from: sender.from,
    replyTo: sender.replyTo,
    to: invitation.email,
    subject: subjectLine(templates, vars),
    text: templates.text(vars),
    html: templates.html(vars),
    date: invitation.createdAt,
    messageId: `<invite-${invitation.inviteId}@${senderDomain(sender.from)}>`,
    baseBoundary: invitation.inviteId.replace(/-/g, ''),
    headers,
    textEncoding: 'quoted-printable',
  });
  return buildMessage(composer.compile());
}
