import { describe, expect, it } from 'vitest';
import { formatInstant, formatRate, formatSeconds } from '../../../src/core/ops/format.js';

describe('formatSeconds', () => {
  it('keeps the two largest units and drops a zero second one', () => {
    expect(formatSeconds(0)).toBe('0s');
    expect(formatSeconds(45)).toBe('45s');
    expect(formatSeconds(750)).toBe('12m 30s');
    expect(formatSeconds(7200)).toBe('2h');
    expect(formatSeconds(7500)).toBe('2h 5m');
    expect(formatSeconds(3 * 86_400 + 4 * 3_600 + 59)).toBe('3d 4h');
    expect(formatSeconds(86_400 + 30)).toBe('1d');
  });

  it('rounds to the second and keeps a negative sign', () => {
    expect(formatSeconds(59.6)).toBe('1m');
    expect(formatSeconds(-90)).toBe('-1m 30s');
  });
});

describe('formatInstant and formatRate', () => {
  it('print UTC to the second and a percentage with one decimal', () => {
    expect(formatInstant(new Date('2026-06-01T12:00:00.123Z'))).toBe('2026-06-01 12:00:00 UTC');
    expect(formatRate(6 / 13)).toBe('46.2%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(null)).toBe('–');
  });
});
