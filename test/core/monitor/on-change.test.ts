import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPassword, runHook, withoutSecrets } from '../../../src/core/monitor/on-change.js';

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

  it('hands the hook no password: PGPASSWORD removed, DATABASE_URL and SMTP_URL masked', async () => {
    const out = path.join(dir, 'secrets.json');
    const problem = await runHook(
      [
        node,
        '-e',
        `require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))`,
        out,
      ],
      {
        PATH: process.env.PATH,
        PGPASSWORD: 's3cret',
        DATABASE_URL: 'postgres://beta:s3cret@db.internal:5432/launch',
        SMTP_URL: 'smtps://beta:s3cret@smtp.example.com:465',
        KEEP: 'kept',
      },
      { VERDICT: 'GO' },
      never,
    );
    expect(problem).toBeUndefined();
    const seen = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, string>;
    expect(JSON.stringify(seen)).not.toContain('s3cret');
    expect(seen).not.toHaveProperty('PGPASSWORD');
    expect(seen).toMatchObject({
      DATABASE_URL: 'postgres://beta:***@db.internal:5432/launch',
      SMTP_URL: 'smtps://beta:***@smtp.example.com:465',
      KEEP: 'kept',
      VERDICT: 'GO',
    });
  });

  it('masks a password wherever a URL carries it, and drops a URL it cannot read', () => {
    expect(maskPassword('postgres://u:pa@s3cret@db:5432/launch')).toBe(
      'postgres://u:***@db:5432/launch',
    );
    expect(maskPassword('postgres://u@db/launch?password=s3cret&sslmode=require')).toBe(
      'postgres://u@db/launch?password=***&sslmode=require',
    );
    expect(maskPassword('smtp://127.0.0.1:2525')).toBe('smtp://127.0.0.1:2525');
    expect(maskPassword('not a url s3cret')).toBeUndefined();
    expect(maskPassword('postgres:/u:s3cret@db')).toBeUndefined();
    expect(
      withoutSecrets({ DATABASE_URL: 'u:s3cret@db', SMTP_URL: undefined, OTHER_URL: 'x://u:p@h' }),
    ).toEqual({ OTHER_URL: 'x://u:p@h' });
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
