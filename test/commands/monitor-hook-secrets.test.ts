import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { refusedUrl, startHttpServer, statusPage, type TestServer } from '../helpers/http.js';
import { bin } from '../helpers/paths.js';

const SECRET = 's3cret';

let dir: string;
let server: TestServer;
/** Where nothing listens: the database and the relay are named, never reached. */
let closed: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-hook-secrets-'));
  server = await startHttpServer();
  closed = new URL(await refusedUrl()).host;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the loop until the hook has written its environment, then stops it. */
async function hookEnvironment(env: Record<string, string>): Promise<Record<string, string>> {
  const dump = path.join(dir, 'env.json');
  const hook = path.join(dir, 'hook.cjs');
  // Written aside and renamed: the file appears whole, and the test stops the loop then.
  fs.writeFileSync(
    hook,
    `const fs = require('fs'), [, , to] = process.argv;
     fs.writeFileSync(to + '.part', JSON.stringify(process.env));
     fs.renameSync(to + '.part', to);`,
  );
  const child = execa(
    process.execPath,
    [
      ...[bin, 'monitor', '--config', 'monitor.json', '--only', 'status_page', '--watch'],
      ...['--interval', '1', '--on-change', `"${process.execPath}" "${hook}" "${dump}"`],
    ],
    { cwd: dir, env: cleanEnv(env), extendEnv: false, reject: false, timeout: 120_000 },
  );
  const deadline = Date.now() + 90_000;
  while (!fs.existsSync(dump) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  const result = await child;
  if (!fs.existsSync(dump)) throw new Error(`the hook never ran:\n${result.stderr}`);
  return JSON.parse(fs.readFileSync(dump, 'utf8')) as Record<string, string>;
}

describe('monitor --watch --on-change (real binary)', () => {
  it('gives the hook no secret: tokens and PGPASSWORD removed, passwords in URLs masked', async () => {
    let checks = 0;
    server.route('/status.json', () => statusPage(++checks === 1 ? 'none' : 'major', 'Outage'));
    const gates = {
      status_page: { url: `${server.url}/status.json` },
      sentry: { org: 'acme', project: '1', tokenEnv: 'LAUNCH_SENTRY_TOKEN' },
      high_issues: { repo: 'acme/app', label: 'severity:high', tokenEnv: 'GH_PAT' },
    };
    fs.writeFileSync(path.join(dir, 'monitor.json'), JSON.stringify({ gates }));

    const seen = await hookEnvironment({
      DATABASE_URL: `postgres://u:${SECRET}@${closed}/launch`,
      SMTP_URL: `smtp://u:${SECRET}@${closed}`,
      PGPASSWORD: SECRET,
      LAUNCH_SENTRY_TOKEN: `sntrys_${SECRET}`,
      GH_PAT: `ghp_${SECRET}`,
      CHAT_WEBHOOK_URL: 'https://chat.example.com/hooks/launch',
    });

    expect(JSON.stringify(seen)).not.toContain(SECRET);
    expect(seen).toMatchObject({
      VERDICT: 'NO-GO',
      PREVIOUS_VERDICT: 'GO',
      SUMMARY: 'NO-GO: 🔴 status_page major: Outage',
      PATH: process.env.PATH,
      DATABASE_URL: `postgres://u:***@${closed}/launch`,
      SMTP_URL: `smtp://u:***@${closed}`,
      CHAT_WEBHOOK_URL: 'https://chat.example.com/hooks/launch',
    });
    expect(Object.keys(seen)).not.toContain('PGPASSWORD');
    expect(Object.keys(seen)).not.toContain('LAUNCH_SENTRY_TOKEN');
    expect(Object.keys(seen)).not.toContain('GH_PAT');
  });
});
