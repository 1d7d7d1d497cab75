import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHook } from '../../../src/core/monitor/on-change.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-hook-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;
const never = new AbortController().signal;

describe('runHook', () => {
  it('runs the command without a shell, with the verdict in its environment', async () => {
    const out = path.join(dir, 'env.json');
    const script = `require('fs').writeFileSync(process.argv[1], JSON.stringify({ v: process.env.VERDICT, p: process.env.PREVIOUS_VERDICT, s: process.env.SUMMARY, keep: process.env.KEEP, arg: process.argv[2] }))`;
    const problem = await runHook(
      [node, '-e', script, out, '$HOME; echo pwned'],
      { PATH: process.env.PATH, KEEP: 'kept' },
      { VERDICT: 'NO-GO', PREVIOUS_VERDICT: 'GO', SUMMARY: 'NO-GO: 🔴 sentry 3 issues' },
      never,
    );
    expect(problem).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({
      v: 'NO-GO',
      p: 'GO',
      s: 'NO-GO: 🔴 sentry 3 issues',
      keep: 'kept',
      arg: '$HOME; echo pwned',
    });
  });

  it('says why it failed: exit code with the last line of stderr, not found, killed after the timeout', async () => {
    expect(
      await runHook(
        [node, '-e', 'console.error("first\\nwebhook said 500"); process.exit(3)'],
        {},
        {},
        never,
      ),
    ).toBe('exited with code 3: webhook said 500');
    expect(await runHook(['/nonexistent/notify-chat'], {}, {}, never)).toBe(
      'command not found: /nonexistent/notify-chat',
    );
    expect(await runHook([node, '-e', 'setTimeout(() => {}, 60000)'], {}, {}, never, 300)).toBe(
      'killed after 0.3s (SIGTERM)',
    );
  });

  it('is stopped with the monitor', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    expect(await runHook([node, '-e', 'setTimeout(() => {}, 60000)'], {}, {}, stop.signal)).toBe(
      'stopped',
    );
  });
});
