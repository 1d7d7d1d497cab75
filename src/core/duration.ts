import { UsageError } from './errors.js';

const UNITS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a duration such as `30d`, `12h`, `90m`, `2w` or `45s` into milliseconds.
 * `flag` names the option in the error message.
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  const value = match ? Number(match[1]) : NaN;
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!unit || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(
      `${flag}: "${text}" is not a duration`,
      'use a number and a unit: 30d, 12h, 90m, 2w, 45s',
    );
  }
  return Math.round(value * unit);
}
