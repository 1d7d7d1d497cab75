import type MimeNode from 'nodemailer/lib/mime-node';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';

/** Where nodemailer's quoted-printable stream starts cutting its input into slices. */
const QP_SLICE = 64 * 1024;

/**
 * The body of a content node as nodemailer's stream writes it, or undefined where this
 * shortcut does not know the stream's exact output (base64, a stream or Buffer content,
 * trailing blanks the encoder holds back, content larger than one encoder slice).
 */
function contentOf(node: MimeNode): string | undefined {
  const { content } = node;
  if (content === undefined || content === '') return '';
  if (typeof content !== 'string') return undefined;
  const encoding = node.getTransferEncoding();
  return typeof encoding === 'string' ? bodyOf(content, encoding) : undefined;
}

/** A text body as nodemailer's stream writes it in `encoding`, or undefined (see `contentOf`). */
export function bodyOf(content: string, encoding: string): string | undefined {
  if (encoding === '7bit') return content;
  if (encoding !== 'quoted-printable') return undefined;
  const bytes = Buffer.from(content, 'utf8');
  const last = bytes[bytes.length - 1];
  if (bytes.length > QP_SLICE || last === 0x20 || last === 0x09) return undefined;
  return qpWrap(qpEncode(bytes), 76);
}

function nodeText(node: MimeNode): string | undefined {
  const internal = node as MimeNode & { _raw?: unknown; _transforms?: unknown[] };
  if (internal._raw || (internal._transforms?.length ?? 0) > 0) return undefined;
  let out = node.buildHeaders() + '\r\n\r\n';
  if (!node.multipart) {
    const body = contentOf(node);
    return body === undefined ? undefined : out + body;
  }
  for (const [i, child] of node.childNodes.entries()) {
    const text = nodeText(child);
    if (text === undefined) return undefined;
    out += `${i > 0 ? '\r\n' : ''}--${String(node.boundary)}\r\n${text}`;
  }
  return `${out}\r\n--${String(node.boundary)}--\r\n`;
}

/**
 * Builds a compiled message in one synchronous pass: the same bytes as `node.build()`
 * (headers from nodemailer, bodies through its quoted-printable encoder, the same
 * boundaries and final line break), without the stream per part that `build()` sets up,
 * which costs more than everything else in composing an invitation. Undefined for what
 * the pass does not cover (see `contentOf`).
 */
export function buildDirect(node: MimeNode): Buffer | undefined {
  const internal = node as MimeNode & { _processFuncs?: unknown[]; newline?: unknown };
  if ((internal._processFuncs?.length ?? 0) > 0 || internal.newline) return undefined;
  const text = nodeText(node);
  if (text === undefined) return undefined;
  const ending = text.endsWith('\n') ? '' : text.endsWith('\r') ? '\n' : '\r\n';
  return Buffer.from(text + ending, 'utf8');
}

/** The message's bytes: in one pass where it can, else through nodemailer's stream. */
export async function buildMessage(node: MimeNode): Promise<Buffer> {
  return buildDirect(node) ?? node.build();
}
