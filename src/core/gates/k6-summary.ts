/** What the thresholds of a k6 summary say. */
export interface ThresholdReport {
  total: number;
  /** `metric expression` of each failed threshold, in the summary's order. */
  failed: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The verdict of one threshold in either shape, or undefined if it is neither. */
function thresholdFailed(value: unknown): boolean | undefined {
  // `--summary-export`: `true` means the threshold was crossed, i.e. it failed.
  if (typeof value === 'boolean') return value;
  // `handleSummary(data)`: `{ ok: false }` means it failed.
  if (isObject(value) && typeof value.ok === 'boolean') return !value.ok;
  return undefined;
}

/**
 * Reads the thresholds of a k6 summary in both shapes k6 writes: the `handleSummary`
 * data (`metrics.X.thresholds["p(95)<500"].ok`) and the `--summary-export` file
 * (`metrics.X.thresholds["p(95)<500"]` a boolean, `true` = failed). Undefined when the
 * document has no `metrics` object, i.e. is not a k6 summary.
 */
export function readThresholds(summary: unknown): ThresholdReport | undefined {
  if (!isObject(summary) || !isObject(summary.metrics)) return undefined;
  const report: ThresholdReport = { total: 0, failed: [] };
  for (const [metric, data] of Object.entries(summary.metrics)) {
    if (!isObject(data) || !isObject(data.thresholds)) continue;
    for (const [expression, value] of Object.entries(data.thresholds)) {
      const failed = thresholdFailed(value);
      if (failed === undefined) continue;
      report.total++;
      if (failed) report.failed.push(`${metric} ${expression}`);
    }
  }
  return report;
}

/**
 * The summary's own time, from a top-level `timestamp` (ISO text, or epoch seconds or
 * milliseconds). Undefined when absent; null when present but not a date.
 */
export function summaryTimestamp(summary: unknown): Date | null | undefined {
  if (!isObject(summary) || summary.timestamp === undefined) return undefined;
  const value = summary.timestamp;
  let ms = NaN;
  if (typeof value === 'string') ms = Date.parse(value);
  else if (typeof value === 'number') ms = value < 1e11 ? value * 1000 : value;
  return Number.isFinite(ms) ? new Date(ms) : null;
}
