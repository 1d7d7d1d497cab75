import { escapeHtml } from './escape.js';
import { MESSAGE_CSP, pageCsp, pageShell } from './page.js';
import type { ParsedEml } from './parse-eml.js';

/** The widths each HTML part is shown at: a desktop client and a phone. */
export const VIEW_WIDTHS = [640, 375] as const;

/**
 * The HTML part as an iframe's srcdoc, with a policy that forbids every remote load put
 * first in its head (a policy only governs what comes after it).
 */
export function srcdocOf(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${MESSAGE_CSP}">`;
  const head = /<head\b[^>]*>/i.exec(html);
  if (head)
    return (
      html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length)
    );
  return `${meta}${html}`;
}

function headersTable(eml: ParsedEml): string {
  const rows = eml.headers.map(
    ([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  return `<table class="headers">${rows.join('')}</table>`;
}

function htmlView(srcdoc: string, width: number): string {
  return `<div class="view"><p>HTML part, ${width} px</p>
<iframe sandbox="" referrerpolicy="no-referrer" title="HTML part at ${width} px" width="${width}" height="900" srcdoc="${srcdoc}"></iframe></div>`;
}

/**
 * One message as a reviewer needs it: headers, the HTML part in sandboxed frames (no
 * scripts, no same origin, no remote loads) at desktop width beside the text part, then
 * at phone width.
 */
export function previewBlock(eml: ParsedEml): string {
  const srcdoc = escapeHtml(srcdocOf(eml.html));
  const noHtml = '<p class="bad">This message has no HTML part.</p>';
  const [desktop, narrow] = VIEW_WIDTHS.map((w) => (eml.html === '' ? '' : htmlView(srcdoc, w)));
  const text =
    eml.text === ''
      ? '<p class="bad">This message has no text part.</p>'
      : `<pre class="text">${escapeHtml(eml.text)}</pre>`;
  return `${headersTable(eml)}
<div class="views">
${eml.html === '' ? noHtml : (desktop ?? '')}
<div class="view"><p>Text part</p>${text}</div>
${narrow ?? ''}
</div>`;
}

/** The page of one recipient (`review/r/00001.html`): no script at all. */
export function recipientPage(eml: ParsedEml, file: string, cohort: string): string {
  const body = `<header><h1>${escapeHtml(file)}</h1>
<p class="muted">cohort ${escapeHtml(cohort)} · <a href="../index.html">back to the review</a> · <a href="../../${escapeHtml(encodeURIComponent(file))}">the .eml file</a></p></header>
<section class="sample">${previewBlock(eml)}</section>`;
  return pageShell({ title: `${file} — beta-invites review`, csp: pageCsp([]), body });
}
