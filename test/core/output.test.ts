import { describe, expect, it } from 'vitest';
import { escapeControls, memoryOutput, safeJson } from '../../src/core/output.js';

describe('the text writer', () => {
  it('prints every control and invisible character as a visible escape', () => {
    const out = memoryOutput();
    out.line('a\x1b]0;owned\x07b\x1b[2Jc\rd\u0000e\u009bf\u200bg\u202eh\ufeffi\tj');
    out.error('k\x7fl\nm');
    expect(out.stdoutText()).toBe(
      'a\\x1b]0;owned\\x07b\\x1b[2Jc\\x0dd\\x00e\\x9bf\\u200bg\\u202eh\\ufeffi\\x09j\n',
    );
    expect(out.stderrText()).toBe('k\\x7fl\nm\n');
  });

  it('keeps colour sequences and line feeds', () => {
    expect(escapeControls('\x1b[31mred\x1b[39m\n\x1b[1mbold\x1b[22m')).toBe(
      '\x1b[31mred\x1b[39m\n\x1b[1mbold\x1b[22m',
    );
  });

  it('writes JSON whose strings hold no raw control or invisible character, same value', () => {
    const value = { label: 'a\x1b[2J\u0085\u202e\u200b\x7fz' };
    const text = safeJson(value);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
