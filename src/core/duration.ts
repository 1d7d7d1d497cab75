import { UsageError } from './errors.js';

const DAY_MS = 86_400_000;

const UNITS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

/** The longest an invite may be valid: `render --expires-in`. */
export const MAX_EXPIRES_IN_MS = 365 * DAY_MS;

/** Bounds of a duration flag. */
export interface DurationLimits {
  /** The longest accepted, in milliseconds. */
  max?: number;
}

/**
 * The bounds of the tool's own duration flags, applied when a caller gives none: an
 * expiry of 99999999d once wrote invites for year 275817, which no date here can hold.
 */
const FLAG_LIMITS: Record<string, DurationLimits> = {
  '--expires-in': { max: MAX_EXPIRES_IN_MS },
};

/** `31536000000` → `365 days`: the bound as the operator would write it. */
function describeMs(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS} days` : `${ms / 1000} seconds`;
}

/**
 * Parses a duration such as `30d`, `12h`, `90m`, `2w` or `45s` into milliseconds.
 * `flag` names the option in the error message; `max` (default: the flag's own bound,
 * if it has one) refuses longer ones, as a usage error.
 */
export function parseDuration(
  text: string,
  flag: string,
  limits: DurationLimits = FLAG_LIMITS[flag] ?? {},
): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  const value = match ? Number(match[1]) : NaN;
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!unit || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(
      `${flag}: "${text}" is not a duration`,
      'use a number and a unit: 30d, 12h, 90m, 2w, 45s',
    );
  }
  const ms = Math.round(value * unit);
  if (limits.max !== undefined && ms > limits.max) {
    throw new UsageError(
      `${flag}: "${text}" is longer than the maximum, ${describeMs(limits.max)}`,
      `give at most ${describeMs(limits.max)} (for example 30d or 12w)`,
    );
  }
  return ms;
}
