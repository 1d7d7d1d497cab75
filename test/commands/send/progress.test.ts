import { describe, expect, it } from 'vitest';
import { progressDisplay } from '../../../src/commands/send/progress.js';
import { memoryOutput } from '../../../src/core/output.js';

describe('send progress without a terminal', () => {
  it('prints a plain line every few seconds, with the rate and what is left', () => {
    const out = memoryOutput();
    let now = 0;
    const display = progressDisplay({ out }, () => now);
    display.start(100);
    now = 1_000;
    display.update({ total: 100, sent: 10, failed: 0, retried: 0 });
    now = 5_000;
    display.update({ total: 100, sent: 38, failed: 2, retried: 1 });
    now = 7_000;
    display.update({ total: 100, sent: 50, failed: 2, retried: 1 });
    now = 10_000;
    display.update({ total: 100, sent: 98, failed: 2, retried: 1 });
    display.stop();
    expect(out.stderrText()).toMatchInlineSnapshot(`
      "sending 100 message(s)…
      40/100 done: 38 sent, 2 failed, 8.0/s, about 8 s left
      100/100 done: 98 sent, 2 failed, 10.0/s
      "
    `);
    expect(out.stdoutText()).toBe('');
  });
});
