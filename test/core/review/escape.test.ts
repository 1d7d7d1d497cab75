import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../../src/core/review/escape.js';

describe('escaping', () => {
  it('escapes markup and both quotes', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    );
  });

  it('keeps </script> and <!-- out of a JSON script block, and round-trips', () => {
    const value = { name: '</script><script>alert(1)</script><!-- & \u2028' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
