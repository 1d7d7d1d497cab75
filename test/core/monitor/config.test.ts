import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { loadMonitorConfig } from '../../../src/core/monitor/config.js';
import { root } from '../../helpers/paths.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-monitor-config-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
  return name;
}

async function problem(
  name: string,
): Promise<{ message: string; hint?: string; exitCode: number }> {
  const error = await loadMonitorConfig(name, dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return { message: error.message, hint: error.hint, exitCode: error.exitCode };
}

describe('loadMonitorConfig', () => {
  it('reads the example file, filling defaults', async () => {
    const config = await loadMonitorConfig(
      path.join(root, 'beta-invites.monitor.example.json'),
      dir,
    );
    expect(config.timeoutSeconds).toBe(10);
    expect(Object.keys(config.gates)).toEqual([
      'signups',
      'sentry',
      'status_page',
      'synthetic',
      'k6_nightly',
      'high_issues',
    ]);
    expect(config.gates.synthetic?.steps[1]).toMatchObject({ method: 'GET', expectStatus: 200 });
  });

  it('fills defaults for a minimal file and takes a k6 path relative to the config file', async () => {
    const name = write(
      'etc/minimal.json',
      JSON.stringify({
        gates: { sentry: { org: 'acme', project: 7 }, k6_nightly: { summary: 'k6/summary.json' } },
      }),
    );
    const config = await loadMonitorConfig(name, dir);
    expect(config).toEqual({
      timeoutSeconds: 10,
      gates: {
        sentry: {
          baseUrl: 'https://sentry.io',
          org: 'acme',
          project: '7',
          tokenEnv: 'SENTRY_TOKEN',
          query: 'is:unresolved issue.priority:high',
          window: '24h',
          max: 0,
        },
        k6_nightly: { summary: path.join(dir, 'etc/k6/summary.json'), maxAgeHours: 26 },
      },
    });
  });

  it('reports every problem at once, each with its JSON path, and never echoes a value', async () => {
    const name = write(
      'bad.json',
      JSON.stringify({
        timeoutSeconds: 0,
        gates: {
          signups: { min: -1 },
          sentry: { org: 3, tokenEnv: 'sntrys_eyJpYXQiOjE3MDAwMDAwMDB9', windw: '24h' },
          statuspage: { url: 'https://status.example.com' },
          synthetic: { steps: [{ name: 'home', url: 'ftp://example.com', method: 'FETCH' }] },
          k6_nightly: {},
          high_issues: { repo: 'acme', label: 'high', max: 1.5 },
        },
        extra: true,
      }),
    );
    const { message, hint, exitCode } = await problem(name);
    expect(exitCode).toBe(1);
    expect(message).not.toContain('sntrys_');
    expect(message).toMatchInlineSnapshot(`
      "monitor config bad.json has 13 problems:
        timeoutSeconds: expected a number of seconds > 0
        gates.signups.min: expected a whole number ≥ 0
        gates.sentry.org: expected a string, got a number
        gates.sentry.project: required
        gates.sentry.tokenEnv: expected the name of an environment variable (like SENTRY_TOKEN), not the secret
        gates.sentry.windw: unknown key
        gates.synthetic.steps[0].method: expected GET, HEAD, POST, PUT, PATCH or DELETE
        gates.synthetic.steps[0].url: expected an http:// or https:// URL
        gates.k6_nightly.summary: required
        gates.high_issues.repo: expected owner/name
        gates.high_issues.max: expected a whole number
        gates.statuspage: unknown gate (the gates are signups, sentry, status_page, synthetic, k6_nightly, high_issues)
        extra: unknown key"
    `);
    expect(hint).toBe('see beta-invites.monitor.example.json for every key');
  });

  it('says so when the file is missing, a directory, or not JSON', async () => {
    expect(await problem('nope.json')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "hint": "copy beta-invites.monitor.example.json to beta-invites.monitor.json and edit it, or pass --config FILE",
        "message": "monitor config not found: nope.json",
      }
    `);
    fs.mkdirSync(path.join(dir, 'adir.json'), { recursive: true });
    expect((await problem('adir.json')).message).toBe(
      'cannot read monitor config adir.json: it is a directory',
    );
    write('broken.json', '{\n  "gates": {\n    "signups": { "min": 1, }\n  }\n}\n');
    expect((await problem('broken.json')).message).toBe(
      'monitor config broken.json is not valid JSON: at line 3, column 28',
    );
    write('short.json', '{ "gates": {');
    expect((await problem('short.json')).message).toBe(
      'monitor config short.json is not valid JSON: it ends too early',
    );
    write('array.json', '[]');
    expect((await problem('array.json')).message).toMatchInlineSnapshot(`
      "monitor config array.json has 1 problem:
        (top level): expected an object, got an array"
    `);
  });

  it('names a file outside the current directory by its absolute path', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-elsewhere-'));
    try {
      const { message } = await problem(path.join(elsewhere, 'missing.json'));
      expect(message).toBe(`monitor config not found: ${path.join(elsewhere, 'missing.json')}`);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
