import { escapeHtml as h, jsonForScript } from './escape.js';
import { pageCsp, pageShell } from './page.js';
import type { ParsedEml } from './parse-eml.js';
import { previewBlock } from './preview.js';
import type { LinkTally, Summary, Tally } from './summary.js';
import { TABLE_SCRIPT, TABLE_SCRIPT_HASH } from './table-script.js';
import type { Variant } from './variants.js';

/** One row of the recipients table (the JSON the page's script reads). */
export interface RecipientRow {
  email: string;
  cohort: string;
  code: string;
  file: string;
  variant: string;
  /** The recipient's preview page, relative to the index. */
  page: string;
}

/** A sample shown in full: one per cohort and variant. */
export interface Sample {
  cohort: string;
  variant: string;
  file: string;
  page: string;
  eml: ParsedEml;
}

/** Everything the index page shows. */
export interface IndexPage {
  folder: string;
  builtAt: string;
  manifestSha256: string;
  preview: boolean;
  summary: Summary;
  variants: Variant[];
  samples: Sample[];
  rows: RecipientRow[];
}

/** "2027-01-03 15:29 UTC": an instant of the manifest, as a reviewer reads it. */
function utcMinute(iso: string): string {
  return iso === '' ? '' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function tallyRows(tallies: Tally[]): string {
  return tallies
    .map((t) => `<tr><td>${h(t.value)}</td><td class="n">${t.count}</td></tr>`)
    .join('');
}

function linkRow(l: LinkTally): string {
  const status = l.problem
    ? `<span class="bad">${h(l.problem)}</span>`
    : '<span class="ok">https</span>';
  return `<tr><td>${l.part}</td><td><code>${h(l.href)}</code></td><td>${h(l.label)}</td><td class="n">${l.count}</td><td>${status}</td></tr>`;
}

function variantText(v: Variant): string {
  const empty = v.emptySlots.map(
    (s) => `${s.part} line ${s.line} “${s.before.slice(-30)}{…}${s.after.slice(0, 30)}”`,
  );
  const lines = Object.entries(v.lineDelta).map(
    ([p, d]) => `${d > 0 ? '+' : ''}${d} line(s) in ${p}`,
  );
  const detail = [...empty.map((e) => `empty: ${e}`), ...lines].join('; ');
  return `<li><b>${v.label}</b>: ${v.count} recipient(s) — ${h(detail || 'every value filled')}</li>`;
}

function summarySection(page: IndexPage): string {
  const s = page.summary;
  const warnings =
    s.warnings.length === 0
      ? '<p class="ok">No warnings.</p>'
      : `<ul class="warnings">${s.warnings.map((w) => `<li>${h(w.message)}${w.example ? ` <span class="muted">(e.g. ${h(w.example)})</span>` : ''}</li>`).join('')}</ul>`;
  return `<section id="summary"><h2>Summary</h2>
<div class="cards">
<div class="card"><h3>Cohorts</h3><table><tbody>${tallyRows(s.cohorts)}<tr><th>total</th><td class="n" id="total">${s.total}</td></tr></tbody></table></div>
<div class="card"><h3>Sender and dates</h3><table><tbody>
<tr><th>From</th><td>${s.from.map((t) => h(t.value)).join('<br>')}</td></tr>
<tr><th>Reply-To</th><td>${s.replyTo.map((t) => h(t.value || '(none)')).join('<br>')}</td></tr>
<tr><th>Subject</th><td>${s.subjects
    .slice(0, 5)
    .map((t) => `${h(t.value)} <span class="muted">×${t.count}</span>`)
    .join('<br>')}</td></tr>
<tr><th>Expiry</th><td>${h(utcMinute(s.expiry.first))}${s.expiry.last !== s.expiry.first ? ` – ${h(utcMinute(s.expiry.last))}` : ''}</td></tr>
</tbody></table></div>
</div>
<h3 id="warnings">Warnings (${s.warnings.length})</h3>${warnings}
<h3>Links</h3><p class="muted">Every link of every message; the recipient's code and address are shown as {code} and {email}.</p>
<table id="links"><thead><tr><th>part</th><th>target</th><th>text</th><th>count</th><th></th></tr></thead><tbody>${s.links.map(linkRow).join('')}</tbody></table>
<h3>Variants</h3><p class="muted">Recipients grouped by the shape of their subject, text and HTML: same number of lines, and the same values empty.</p>
<ul>${page.variants.map(variantText).join('')}</ul>
</section>`;
}

function samplesSection(samples: Sample[]): string {
  const articles = samples.map(
    (s, i) => `<article class="sample" id="sample-${i + 1}">
<h3>${h(s.cohort)} · variant ${h(s.variant)} · <a href="${h(s.page)}">${h(s.file)}</a></h3>
${previewBlock(s.eml)}
</article>`,
  );
  return `<section id="samples"><h2>Samples (${samples.length})</h2>
<p class="muted">One recipient per cohort and variant. The HTML part runs in a sandbox: no script, no remote image or font.</p>
${articles.join('\n')}
</section>`;
}

function recipientsSection(rows: RecipientRow[]): string {
  return `<section id="recipients"><h2>Recipients</h2>
<input type="search" id="recipients-search" placeholder="Search address, cohort, code or file" aria-label="Search recipients">
<p id="recipients-count" class="muted">${rows.length} recipients</p>
<noscript><p>The table needs JavaScript; every recipient's page is in the r/ folder beside this file.</p></noscript>
<table id="recipients-table"><thead><tr><th>address</th><th>cohort</th><th>code</th><th>file</th><th>variant</th></tr></thead><tbody></tbody></table>
</section>
<script type="application/json" id="recipients-data">${jsonForScript(rows)}</script>
<script>${TABLE_SCRIPT}</script>`;
}

/** The review page: summary, samples, then every recipient. */
export function indexPage(page: IndexPage): string {
  const banner = page.preview
    ? '<p class="banner">Rendered with <code>--dry-run</code>: PREVIEW codes, send refuses this folder.</p>'
    : '';
  const body = `<header><h1>Review of ${h(page.folder)}</h1>
<p class="muted">${page.summary.total} invitation(s), built ${h(page.builtAt)} from manifest.jsonl (sha256 ${page.manifestSha256.slice(0, 12)}…)</p>${banner}</header>
<nav><a href="#summary">Summary</a><a href="#warnings">Warnings</a><a href="#samples">Samples</a><a href="#recipients">Recipients</a></nav>
${summarySection(page)}
${samplesSection(page.samples)}
${recipientsSection(page.rows)}`;
  return pageShell({
    title: `Review of ${page.folder} — beta-invites`,
    csp: pageCsp([TABLE_SCRIPT_HASH]),
    head: `<meta name="beta-invites-manifest-sha256" content="${page.manifestSha256}">\n`,
    body,
  });
}
