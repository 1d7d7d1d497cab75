import { UsageError } from '../errors.js';

/**
 * `--since`: a calendar day (`2026-05-01`, read as midnight UTC, the launch's clock) or
 * an ISO 8601 instant with its offset (`2026-05-01T18:00:00Z`, `…+02:00`).
 */
export function parseSince(text: string, flag: string): Date {
  const trimmed = text.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(
    trimmed,
  );
  const date = new Date(day ? `${trimmed}T00:00:00Z` : trimmed);
  const real = !Number.isNaN(date.getTime()) && (!day || date.toISOString().startsWith(trimmed));
  if (!(day || instant) || !real) {
    throw new UsageError(
      `${flag}: "${text}" is not a date`,
      'use YYYY-MM-DD (midnight UTC) or an ISO 8601 time with its offset, such as 2026-05-01T18:00:00Z',
    );
  }
  return date;
}
