// Ratios, targets and the printed table (a Markdown table, ready to paste).

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A value in its unit: rates as integers (one decimal under 100), durations in ms or s. */
export function formatValue(value, unit) {
  if (unit === 's') return value < 1 ? `${fmt(value * 1000, 1)} ms` : `${fmt(value, 2)} s`;
  if (unit === 'MB') return `${fmt(value)} MB`;
  return `${fmt(value, value < 100 ? 1 : 0)} ${unit}`;
}

function formatRange(m) {
  if (m.unit === 's') return `${formatValue(m.min, 's')}–${formatValue(m.max, 's')}`;
  const [lo, hi] = [formatValue(m.min, m.unit), formatValue(m.max, m.unit)];
  return `${lo.split(' ')[0]}–${hi}`;
}

export function formatRatio(ratio) {
  return ratio >= 10 ? `${fmt(ratio)}×` : `${fmt(ratio, 2)}×`;
}

/** Adds `ratios: [{ to, ratio }]` to every line that names baselines present in its case. */
export function addRatios(result) {
  const byId = new Map(result.measurements.map((m) => [m.id, m]));
  for (const m of result.measurements) {
    const baselines = [m.baseline ?? []].flat().filter((id) => byId.has(id));
    m.ratios = baselines.map((id) => ({ to: id, ratio: m.median / byId.get(id).median }));
  }
}

/** Evaluates the case's targets: `{ …target, value, ok }` (ok undefined if not measured). */
export function evaluateTargets(result) {
  const byId = new Map(result.measurements.map((m) => [m.id, m]));
  return (result.targets ?? []).map((t) => {
    const m = byId.get(t.id);
    const base = t.vs ? byId.get(t.vs) : undefined;
    if (!m || (t.vs && !base)) return { ...t, value: null, ok: undefined, shown: 'not measured' };
    const value = base ? m.median / base.median : m.median;
    const ok = t.min !== undefined ? value >= t.min : value < t.max;
    return { ...t, value, ok, shown: base ? formatRatio(value) : formatValue(value, m.unit) };
  });
}

function markdown(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  const line = (r) =>
    `| ${r.map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length)).join(' | ')} |`;
  return [
    line(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ];
}

/** The table of every case's lines, then the targets, then the notes. */
export function renderTable(results) {
  const rows = [['case', 'measurement', 'median', 'min–max', 'CPU', 'vs baseline (same run)']];
  for (const [name, result] of Object.entries(results)) {
    for (const m of result.measurements) {
      const ratios = m.ratios.map((r) => `${formatRatio(r.ratio)} ${r.to}`).join(', ');
      const cpu = m.cpu === undefined ? '' : formatValue(m.cpu, 's');
      rows.push([name, m.label, formatValue(m.median, m.unit), formatRange(m), cpu, ratios]);
    }
  }
  const lines = markdown(rows);
  const targets = Object.entries(results).flatMap(([name, r]) => r.evaluated.map((t) => [name, t]));
  if (targets.length > 0) lines.push('', 'Targets:');
  for (const [name, t] of targets) {
    const mark = t.ok === undefined ? '⚪' : t.ok ? '✅' : '🔴';
    lines.push(`${mark} ${name}: ${t.text} — measured ${t.shown}`);
  }
  lines.push('', 'Notes:');
  for (const [name, result] of Object.entries(results)) {
    for (const note of result.notes ?? []) lines.push(`- ${name}: ${note}`);
  }
  return lines.join('\n');
}
