/** hard: 5.x.x, the address will not work; soft: 4.x.x, it may later; unknown: no status. */
export type BounceKind = 'hard' | 'soft' | 'unknown';

/** An RFC 3463 enhanced status code and what it means for the invite. */
export interface Classified {
  /** `5.1.1`; null when the report carried no readable one. */
  status: string | null;
  kind: BounceKind;
}

const CODE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
/** A `Status:` field: the code first, maybe followed by a comment. */
const STATUS_FIELD = /^\s*([245]\.\d{1,3}\.\d{1,3})(?=$|[\s(;])/;
/**
 * An enhanced code inside a server's reply (`550 5.1.1 …`, `550-5.7.1 …`, `smtp;550 5.1.10`):
 * after a separator so that an address like 10.5.1.1 is not read as 5.1.1.
 */
const IN_REPLY = /(?:^|[\s;])(?:[245]\d\d[ -])?([245]\.\d{1,3}\.\d{1,3})(?=$|[\s;,:)\]])/;
/** In free text (a classic bounce), only a code that follows an SMTP reply code counts. */
const AFTER_REPLY_CODE = /(?:^|\s)[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})(?=$|[\s;,:)\]])/m;

function classify(code: string | undefined): Classified | undefined {
  const match = code === undefined ? null : CODE.exec(code);
  if (!match) return undefined;
  // 2.x.x is success: a failure report that says so has no usable status.
  if (match[1] === '5') return { status: code ?? null, kind: 'hard' };
  if (match[1] === '4') return { status: code ?? null, kind: 'soft' };
  return undefined;
}

/**
 * The per-recipient `Status`, else the enhanced code of `Diagnostic-Code` if it carries one,
 * else unknown: a report is never guessed hard or soft from its wording.
 */
export function classifyReport(
  status: string | undefined,
  diagnostic: string | undefined,
): Classified {
  return (
    classify(status === undefined ? undefined : STATUS_FIELD.exec(status)?.[1]) ??
    classify(diagnostic === undefined ? undefined : IN_REPLY.exec(diagnostic)?.[1]) ?? {
      status: null,
      kind: 'unknown',
    }
  );
}

/** The enhanced code of a classic (non-RFC 3464) bounce's text, if a reply carries one. */
export function classifyText(text: string): Classified {
  return classify(AFTER_REPLY_CODE.exec(text)?.[1]) ?? { status: null, kind: 'unknown' };
}
