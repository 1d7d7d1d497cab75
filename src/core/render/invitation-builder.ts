import MimeNode from 'nodemailer/lib/mime-node';
import {
  buildHeaderValue,
  foldLines,
  hasLongerLines,
  isPlainText,
} from 'nodemailer/lib/mime-funcs';
import {
  composeInvitation,
  subjectLine,
  type ComposeSettings,
  type Invitation,
} from './compose.js';
import { bodyOf } from './mime-build.js';
import { senderDomain } from './sender.js';
import { frenchDate, signupUrl } from './variables.js';

/** The text encoding nodemailer is given for every invitation (see `composeInvitation`). */
const TEXT_ENCODING = 'quoted-printable';
const PREVIEW_VALUE = 'yes: rendered with --dry-run, not a real invite';
/** A base boundary nodemailer keeps as it is: the invite id without its dashes. */
const PLAIN_BOUNDARY = /^[0-9A-Za-z]+$/;

type Encoding = '7bit' | 'quoted-printable';

/**
 * Builds invitations as nodemailer's MailComposer would, byte for byte, without building a
 * MIME tree per recipient: what is the same for every message of a run (From, Reply-To,
 * the part headers, the subject when it holds no variable) is encoded once by nodemailer's
 * own encoders, and each message is then joined from its pieces. A message outside the
 * shape this covers (an empty part, a body the quoted-printable shortcut does not cover)
 * is composed by MailComposer itself, so every file is what MailComposer would write.
 */
export class InvitationBuilder {
  /** Encodes single header values exactly as the message's root node does. */
  private readonly encoder = new MimeNode('multipart/alternative', { textEncoding: TEXT_ENCODING });
  private readonly from: string;
  private readonly replyTo: string;
  private readonly domain: string;
  private readonly partHeaders = new Map<string, string>();
  private lastSubject: { value: string; line: string } | undefined;
  private lastExpiry: { time: number; text: string } | undefined;
  private readonly signupUrl: (code: string) => string;

  constructor(private readonly settings: ComposeSettings) {
    this.from = this.header('From', settings.sender.from);
    this.replyTo = this.header('Reply-To', settings.sender.replyTo);
    this.domain = senderDomain(settings.sender.from);
    this.signupUrl = signupUrlMaker(settings.sender.signupUrl);
  }

  /** The same variables as `variablesOf`, without parsing a URL or formatting a date each time. */
  private variables(invitation: Invitation): Record<string, string> {
    const time = invitation.expiresAt.getTime();
    if (this.lastExpiry?.time !== time)
      this.lastExpiry = { time, text: frenchDate(invitation.expiresAt, this.settings.timeZone) };
    return {
      ...invitation.extras,
      code: invitation.code,
      email: invitation.email,
      cohort: invitation.cohort,
      signup_url: this.signupUrl(invitation.code),
      feedback_url: this.settings.sender.feedbackUrl,
      expires_at: this.lastExpiry.text,
    };
  }

  /** One folded header line, as `MimeNode.buildHeaders` writes it; '' when it is left out. */
  private header(key: string, value: string | Date): string {
    const encoded = this.encoder.encodeHeaderValue(key, value);
    if (!encoded.trim()) return '';
    return foldLines(`${key}: ${encoded}`, 76);
  }

  /** The headers of a text part, built once per type and encoding by nodemailer itself. */
  private partHeader(contentType: string, encoding: Encoding): string {
    const key = `${contentType}\u0000${encoding}`;
    let headers = this.partHeaders.get(key);
    if (headers === undefined) {
      const root = new MimeNode('multipart/alternative', { textEncoding: TEXT_ENCODING });
      const child = root.createChild(contentType, { textEncoding: TEXT_ENCODING });
      child.setContent(encoding === '7bit' ? 'a' : 'é');
      headers = child.buildHeaders();
      this.partHeaders.set(key, headers);
    }
    return headers;
  }

  private subject(value: string): string {
    if (this.lastSubject?.value !== value)
      this.lastSubject = { value, line: value ? this.header('Subject', value) : '' };
    return this.lastSubject.line;
  }

  /** The message's bytes, or undefined where MailComposer must compose it. */
  buildDirect(invitation: Invitation): Buffer | undefined {
    const base = invitation.inviteId.replace(/-/g, '');
    if (!PLAIN_BOUNDARY.test(base)) return undefined;
    const vars = this.variables(invitation);
    const { templates } = this.settings;
    const text = templates.text(vars);
    const html = templates.html(vars);
    if (!text || !html) return undefined;
    const textPart = this.part('text/plain; charset=utf-8', text);
    const htmlPart = this.part('text/html; charset=utf-8', html);
    if (textPart === undefined || htmlPart === undefined) return undefined;
    const boundary = `--_NmP-${base}-Part_1`;
    const lines = [
      this.header('X-Beta-Invite-ID', invitation.inviteId),
      invitation.preview ? this.header('X-Beta-Invite-Preview', PREVIEW_VALUE) : '',
      this.from,
      this.header('To', invitation.email),
      this.replyTo,
      this.subject(subjectLine(templates, vars)),
      this.header('Message-ID', `<invite-${invitation.inviteId}@${this.domain}>`),
      this.header('Date', invitation.createdAt),
      'MIME-Version: 1.0',
      foldLines(
        `Content-Type: ${buildHeaderValue({ value: 'multipart/alternative', params: { boundary } })}`,
        76,
      ),
    ];
    const head = lines.filter((line) => line !== '').join('\r\n');
    const message =
      `${head}\r\n\r\n--${boundary}\r\n${textPart}\r\n--${boundary}\r\n${htmlPart}` +
      `\r\n--${boundary}--\r\n`;
    return Buffer.from(message, 'utf8');
  }

  private part(contentType: string, content: string): string | undefined {
    const encoding: Encoding =
      isPlainText(content) && !hasLongerLines(content, 76) ? '7bit' : 'quoted-printable';
    const body = bodyOf(content, encoding);
    if (body === undefined) return undefined;
    return `${this.partHeader(contentType, encoding)}\r\n\r\n${body}`;
  }

  /** The message's bytes: built directly where it can, else by MailComposer. */
  async build(invitation: Invitation): Promise<Buffer> {
    return this.buildDirect(invitation) ?? composeInvitation(invitation, this.settings);
  }
}

/** A code URL-encoding leaves as it is: it can be put into the URL as it stands. */
const PLAIN_CODE = /^[0-9A-Za-z]+$/;

/**
 * `signupUrl` for one base: the URL is parsed once, and a plain code is put where a marker
 * code lands; anything else goes through `signupUrl` itself.
 */
export function signupUrlMaker(base: string): (code: string) => string {
  if (base.includes('{code}')) return (code) => signupUrl(base, code);
  const marker = 'Q9MARKERQ9';
  const sample = signupUrl(base, marker);
  const at = sample.indexOf(marker);
  if (at < 0 || sample.indexOf(marker, at + 1) >= 0) return (code) => signupUrl(base, code);
  const before = sample.slice(0, at);
  const after = sample.slice(at + marker.length);
  return (code) => (PLAIN_CODE.test(code) ? before + code + after : signupUrl(base, code));
}
