/** An instant as operators read it in a terminal: `2026-05-01 10:00:00 UTC`. */
export function formatInstant(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/**
 * A duration in the two largest units: `3d 4h`, `2h 5m`, `12m 30s`, `45s`. Negative
 * values keep their sign (a redemption recorded before its sending).
 */
export function formatSeconds(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  const parts: [number, string][] = [];
  for (const [size, unit] of [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'm'],
    [1, 's'],
  ] as const) {
    parts.push([Math.floor(rest / size), unit]);
    rest %= size;
  }
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  return (
    sign +
    parts
      .slice(first, first + 2)
      .filter(([n], i) => i === 0 || n > 0)
      .map(([n, unit]) => `${n}${unit}`)
      .join(' ')
  );
}

/** 0.4285… → `42.9%`; null → `–`. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}
