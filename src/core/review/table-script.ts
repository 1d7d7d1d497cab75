import { createHash } from 'node:crypto';

/**
 * The index page's only script: reads the recipients from the JSON block and shows the
 * ones matching the search. Values go in with textContent, never as markup. At most
 * LIMIT rows are drawn so that a folder of 100,000 recipients stays responsive.
 */
export const TABLE_SCRIPT = `
(() => {
  const LIMIT = 200;
  const rows = JSON.parse(document.getElementById('recipients-data').textContent);
  const body = document.querySelector('#recipients-table tbody');
  const count = document.getElementById('recipients-count');
  const search = document.getElementById('recipients-search');
  const haystack = rows.map((r) => [r.email, r.cohort, r.code, r.file].join(' ').toLowerCase());
  function link(text, href) {
    const a = document.createElement('a');
    a.textContent = text;
    a.setAttribute('href', href);
    return a;
  }
  function cell(tr, content) {
    const td = document.createElement('td');
    if (typeof content === 'string') td.textContent = content; else td.append(content);
    tr.append(td);
  }
  function draw() {
    const terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const hits = [];
    for (let i = 0; i < rows.length; i++) {
      if (terms.every((t) => haystack[i].includes(t))) hits.push(rows[i]);
    }
    const shown = hits.slice(0, LIMIT);
    body.replaceChildren(...shown.map((r) => {
      const tr = document.createElement('tr');
      cell(tr, link(r.email, r.page));
      cell(tr, r.cohort);
      cell(tr, r.code);
      cell(tr, link(r.file, '../' + encodeURIComponent(r.file)));
      cell(tr, r.variant);
      return tr;
    }));
    count.textContent = hits.length + ' of ' + rows.length + ' recipients' +
      (hits.length > shown.length ? ', first ' + shown.length + ' shown: refine the search' : '');
  }
  search.addEventListener('input', draw);
  draw();
})();
`;

/** The script's CSP source expression, so the page allows exactly this script. */
export const TABLE_SCRIPT_HASH = `sha256-${createHash('sha256').update(TABLE_SCRIPT).digest('base64')}`;
