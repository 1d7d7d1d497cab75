import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTDIR } from '../../src/core/outdir/files.js';
import { runCli } from '../helpers/cli.js';
import { makeOutdir } from '../helpers/outdir.js';
import { senderEnv, writeCohort } from '../helpers/render.js';

/** A server nobody listens on, with a password that must never be printed. */
const PASSWORD = 'hunter2-do-not-print';
const DATABASE_URL = `postgres://ops:${PASSWORD}@127.0.0.1:1/launch`;

let home: string;
let sendDir: string;
beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-unreachable-'));
  writeCohort(home, 60);
  fs.writeFileSync(
    path.join(home, 'signups.json'),
    JSON.stringify({ timeoutSeconds: 5, gates: { signups: { min: 1 } } }),
  );
  sendDir = (await makeOutdir({ emails: ['ana@example.net'], dir: path.join(home, 'ready') })).dir;
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

/** Every file below `home`, relative: what a command left behind. */
function tree(): string[] {
  return (fs.readdirSync(home, { recursive: true }) as string[]).sort();
}

/** The gate or check line that names the database, whatever the layout around it. */
function line(text: string, name: string): string {
  return (
    text
      .split('\n')
      .find((l) => new RegExp(`^\\s*\\S+ ${name}\\b`).test(l))
      ?.trim()
      .replace(/\s{2,}/g, ' ') ?? ''
  );
}

describe('every command that needs the database, when it cannot be reached', () => {
  it.each([
    ['migrate', ['migrate']],
    ['validate-cohort --check-users', ['validate-cohort', 'cohort.csv', '--check-users']],
    ['render', ['render', 'cohort.csv', '--out', 'out']],
    ['send --confirm', ['send', 'ready', '--confirm', '--send-cmd', process.execPath]],
    ['report', ['report']],
    ['show', ['show', 'ana@example.net']],
    ['revoke', ['revoke', 'ana@example.net']],
    ['sweep', ['sweep']],
  ])(
    '%s stops with one line naming host and port, and writes nothing (exit 1)',
    async (_, args) => {
      const before = tree();
      const run = await runCli(args, { cwd: home, env: { ...senderEnv, DATABASE_URL } });
      expect([run.exitCode, run.stdout]).toEqual([1, '']);
      expect(run.stderr).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the database at 127.0.0.1:1/launch: connection refused
        check that the server is running and DATABASE_URL is right"
    `);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      expect(tree()).toEqual(before);
      expect(fs.existsSync(path.join(sendDir, OUTDIR.sent))).toBe(false);
      expect(fs.existsSync(path.join(sendDir, OUTDIR.sendFailed))).toBe(false);
    },
  );

  it('monitor shows the signups gate as unknown (⚪), not as a failure (exit 2)', async () => {
    const before = tree();
    const run = await runCli(['monitor', '--config', 'signups.json'], {
      cwd: home,
      env: { DATABASE_URL },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain(PASSWORD);
    expect(line(run.stdout, 'signups')).toMatchInlineSnapshot(
      `"⚪ signups cannot connect to the database at 127.0.0.1:1/launch: connection refused"`,
    );
    expect(tree()).toEqual(before);
  });

  it('preflight marks the database 🔴 and what depends on it ⚪, and goes on (exit 1)', async () => {
    const before = tree();
    const run = await runCli(
      ['preflight', 'cohort.csv', '--send-cmd', process.execPath, '--config', 'signups.json'],
      { cwd: home, env: { ...senderEnv, DATABASE_URL } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(['database', 'migrations', 'users', 'monitor signups'].map((n) => line(run.stdout, n)))
      .toMatchInlineSnapshot(`
      [
        "🔴 database cannot connect to the database at 127.0.0.1:1/launch: connection refused — check that the server is running and DATABASE_URL is right",
        "⚪ migrations not checked: the database is unreachable",
        "⚪ users table not checked: the database is unreachable",
        "🔴 monitor signups does not answer: cannot connect to the database at 127.0.0.1:1/launch: connection refused",
      ]
    `);
    expect(tree()).toEqual(before);
  });
});
