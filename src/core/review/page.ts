import { escapeHtml } from './escape.js';

/**
 * The policy of the HTML parts shown in iframes: no remote loads of any kind, only inline
 * styles and data: images, as a privacy-respecting mail client would show them.
 */
export const MESSAGE_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/**
 * The policy of the review pages: nothing remote, no plugins, no forms; scripts only when
 * their hash is listed. `frame-src 'none'` keeps a link clicked inside a preview from
 * loading a remote page into it (srcdoc frames are not subject to it).
 */
export function pageCsp(scriptHashes: string[]): string {
  const scripts = scriptHashes.length > 0 ? scriptHashes.map((h) => `'${h}'`).join(' ') : "'none'";
  return [
    "default-src 'none'",
    `script-src ${scripts}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2327; --muted: #5f6b73; --line: #dde3e6; --warn: #8a4b00; --bad: #a3241a; --ok: #1a5c4a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f7f8f8; }
header, section, nav { max-width: 1720px; margin: 0 auto; padding: 16px 24px; }
header { border-bottom: 1px solid var(--line); background: #fff; max-width: none; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 8px 0 12px; } h3 { font-size: 15px; margin: 12px 0 8px; }
.muted { color: var(--muted); }
.banner { background: #fff4e0; border: 1px solid #e8c98f; padding: 8px 12px; border-radius: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; flex: 1 1 320px; min-width: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { white-space: nowrap; overflow-wrap: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
ul.warnings li { color: var(--warn); margin: 4px 0; }
.bad { color: var(--bad); font-weight: 600; } .ok { color: var(--ok); }
code, pre { font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; }
.sample { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 0 0 24px; }
.views { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.view { min-width: 0; max-width: 100%; overflow-x: auto; }
.view p { margin: 0 0 4px; font-size: 13px; color: var(--muted); }
iframe { border: 1px solid var(--line); background: #fff; display: block; }
pre.text { white-space: pre-wrap; overflow-wrap: anywhere; background: #fbfbfa; border: 1px solid var(--line); padding: 12px; margin: 0; font-size: 12px; width: calc(78ch + 26px); max-width: 100%; }
@media (max-width: 600px) {
  header, section, nav { padding-left: 12px; padding-right: 12px; }
  table.headers th, table.headers td { display: block; border: 0; padding: 2px 0; }
  table.headers td { border-bottom: 1px solid var(--line); padding-bottom: 6px; }
}
nav { padding: 8px 24px 0; } nav a { margin-right: 16px; }
input[type=search] { font: inherit; padding: 6px 10px; width: 100%; max-width: 480px; border: 1px solid #b9c2c7; border-radius: 4px; }
`;

/** A whole page: UTF-8, the policy, the shared style, nothing loaded from anywhere. */
export function pageShell(options: {
  title: string;
  csp: string;
  body: string;
  head?: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${options.head ?? ''}<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${options.body}
</body>
</html>
`;
}
