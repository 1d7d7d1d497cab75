import { Parser } from 'htmlparser2';

/** One link of a message: where it points and what the reader sees. */
export interface Link {
  part: 'html' | 'text';
  href: string;
  /** The anchor's text (HTML part); '' for a URL of the text part. */
  label: string;
}

/**
 * Every `<a href>` of the HTML part, parsed as a browser would (entities decoded, any
 * quoting), so a `javascript:` URL cannot hide from the review behind odd markup.
 */
export function htmlLinks(html: string): Link[] {
  const links: Link[] = [];
  let open: Link | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name !== 'a' || attributes.href === undefined) return;
        open = { part: 'html', href: attributes.href.trim(), label: '' };
        links.push(open);
      },
      ontext(text) {
        if (open) open.label += text;
      },
      onclosetag(name) {
        if (name === 'a') open = undefined;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  for (const link of links) link.label = link.label.replace(/\s+/g, ' ').trim();
  return links;
}

/** URLs in the text part: any scheme a mail client may turn into a link. */
const TEXT_URL = /\b(?:[a-z][a-z0-9+.-]*:\/\/|(?:javascript|mailto|data|vbscript):)[^\s<>"']+/gi;

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** A URL without the sentence punctuation after it; a ")" only when it closes nothing. */
function trimUrl(raw: string): string {
  let url = raw.replace(/[.,;:!?\]]+$/, '');
  while (url.endsWith(')') && count(url, ')') > count(url, '(')) {
    url = url.slice(0, -1).replace(/[.,;:!?\]]+$/, '');
  }
  return url;
}

/** Every URL of the text part. */
export function textLinks(text: string): Link[] {
  return [...text.matchAll(TEXT_URL)].map((m) => ({
    part: 'text',
    href: trimUrl(m[0]),
    label: '',
  }));
}

/** Why a link is unsafe to send, or undefined for an https URL. */
export function linkProblem(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return 'not a valid absolute URL';
  }
  return url.protocol === 'https:' ? undefined : `not https (${url.protocol})`;
}
