import { createHash } from 'node:crypto';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { errorMessage } from '../errors.js';
import { readClassic } from './classic.js';
import { fieldGroups, first, parseFields, topHeaders, type Fields } from './header-block.js';
import { classifyReport, type BounceKind } from './status.js';

/** One delivery failure as a bounce message reports it. */
export interface Bounce {
  /** The bounce's own Message-ID (a hash of its bytes when it has none): the rerun key. */
  messageId: string;
  /** Its Date header, when it has a valid one. */
  date: Date | null;
  status: string | null;
  kind: BounceKind;
  /** `failed`, `delayed`… as the report says. */
  action: string | null;
  diagnostic: string | null;
  recipient: string | null;
  /** `X-Beta-Invite-Id` values of the returned message or headers. */
  inviteIds: string[];
  /** Where the bounce was delivered (To, Delivered-To, X-Original-To, Envelope-To): VERP. */
  deliveredTo: string[];
}

/** What a message of the mailbox turned out to be. */
export type ParsedMessage =
  | { type: 'not-bounce' }
  | { type: 'unreadable'; messageId: string | null; reason: string }
  | { type: 'bounce'; bounce: Bounce };

const REPORT_TYPES = new Set(['delivery-status', 'global-delivery-status']);
const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_PARTS = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
]);
/** Not failures: a DSN made only of these is a success notification. */
const NOT_FAILED = new Set(['delivered', 'relayed', 'expanded']);
const DIAGNOSTIC_MAX = 1_000;
const SEVERITY: Record<BounceKind, number> = { hard: 2, soft: 1, unknown: 0 };

function messageIdOf(top: Fields, raw: Buffer): string {
  const id = first(top, 'message-id')?.trim();
  return id || `<sha256-${createHash('sha256').update(raw).digest('hex')}@no-message-id>`;
}

function dateOf(top: Fields): Date | null {
  const value = first(top, 'date');
  const ms = value === undefined ? NaN : Date.parse(value.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Reads one raw message: not a bounce, a bounce, or a report that cannot be read. */
export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  const top = topHeaders(raw);
  const report = /^\s*multipart\/report\b/i.test(first(top, 'content-type') ?? '');
  if (!report && !top.has('x-failed-recipients')) return { type: 'not-bounce' };
  const messageId = messageIdOf(top, raw);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      ...{ keepDeliveryStatus: true, ignoreEmbedded: true, skipHtmlToText: true },
      ...{ skipTextToHtml: true, skipImageLinks: true, checksumAlgo: false },
    });
  } catch (error) {
    return { type: 'unreadable', messageId, reason: `broken MIME: ${errorMessage(error)}` };
  }
  const deliveredTo = ['to', 'delivered-to', 'x-original-to', 'envelope-to'].flatMap(
    (name) => top.get(name) ?? [],
  );
  const base = { messageId, date: dateOf(top), deliveredTo };
  if (!report) {
    const classic = readClassic(mail.text ?? '', first(top, 'x-failed-recipients'));
    return { type: 'bounce', bounce: { ...base, ...classic } };
  }
  const reportType = String(reportTypeOf(mail)).toLowerCase();
  if (!REPORT_TYPES.has(reportType)) return { type: 'not-bounce' };
  return readReport(mail.attachments, base);
}

function reportTypeOf(mail: ParsedMail): unknown {
  const type = mail.headers.get('content-type');
  if (typeof type !== 'object' || type === null || !('params' in type)) return undefined;
  const params = type.params as Record<string, unknown>;
  return params['report-type'];
}

function readReport(
  parts: Attachment[],
  base: Pick<Bounce, 'messageId' | 'date' | 'deliveredTo'>,
): ParsedMessage {
  const statusParts = parts.filter((p) => STATUS_PARTS.has(p.contentType.toLowerCase()));
  const groups = statusParts.flatMap((p) => fieldGroups(p.content.toString('utf8')));
  const recipients = groups.filter(
    (g) => g.has('final-recipient') || g.has('action') || g.has('status'),
  );
  if (recipients.length === 0) {
    const what = statusParts.length === 0 ? 'no delivery-status part' : 'no recipient fields';
    return {
      type: 'unreadable',
      messageId: base.messageId,
      reason: `delivery report with ${what}`,
    };
  }
  const failed = recipients.filter((g) => !NOT_FAILED.has(actionOf(g) ?? ''));
  const worst = failed.map(readRecipient).sort((a, b) => SEVERITY[b.kind] - SEVERITY[a.kind])[0];
  if (!worst) return { type: 'not-bounce' };
  const inviteIds = parts
    .filter((p) => RETURNED_PARTS.has(p.contentType.toLowerCase()))
    .flatMap((p) => parseFields(p.content.toString('utf8')).get('x-beta-invite-id') ?? []);
  return { type: 'bounce', bounce: { ...base, ...worst, inviteIds } };
}

function actionOf(group: Fields): string | null {
  return first(group, 'action')?.toLowerCase().split(/[\s(]/)[0] || null;
}

function readRecipient(group: Fields) {
  const diagnostic = first(group, 'diagnostic-code');
  const recipient = first(group, 'final-recipient') ?? first(group, 'original-recipient');
  return {
    ...classifyReport(first(group, 'status'), diagnostic),
    action: actionOf(group),
    diagnostic: diagnostic ? diagnostic.slice(0, DIAGNOSTIC_MAX) : null,
    recipient: recipient ? recipient.replace(/^[^;]*;\s*/, '').slice(0, 320) : null,
  };
}
