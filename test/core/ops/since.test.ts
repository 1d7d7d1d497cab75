import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { parseSince } from '../../../src/core/ops/since.js';

describe('parseSince', () => {
  it('reads a day as midnight UTC and an instant with its offset', () => {
    expect(parseSince('2026-05-01', '--since').toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(parseSince(' 2026-05-01T18:30:00+02:00 ', '--since').toISOString()).toBe(
      '2026-05-01T16:30:00.000Z',
    );
    expect(parseSince('2026-05-01T18:30Z', '--since').toISOString()).toBe(
      '2026-05-01T18:30:00.000Z',
    );
  });

  it.each(['yesterday', '2026-02-30', '2026-13-01', '2026-05-01T18:00:00', '1714521600', ''])(
    'refuses %j with a usage error',
    (text) => {
      expect(() => parseSince(text, '--since')).toThrow(UsageError);
      expect(() => parseSince(text, '--since')).toThrow(`--since: "${text}" is not a date`);
    },
  );
});
