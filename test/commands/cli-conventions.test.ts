import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { useSmtpSink, useTestDatabase } from '../helpers/fixtures.js';
import { addresses, makeOutdir } from '../helpers/outdir.js';
import { bin, scratch } from '../helpers/paths.js';

const db = useTestDatabase();
const sink = useSmtpSink();

/** Runs the binary in bash with its stdout piped into `head -1`; the binary's own exit code. */
async function throughHead(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  await db.release();
  const quoted = [process.execPath, bin, ...args]
    .map((w) => `'${w.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const run = await execa('bash', ['-c', `${quoted} | head -1; exit "\${PIPESTATUS[0]}"`], {
    cwd: db.home,
    env: cleanEnv(db.env),
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  return { code: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function ledger(dir: string): string[] {
  const file = path.join(dir, 'sent.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describe('--help of every command ends with its variables, exit codes and examples', () => {
  it.each(COMMANDS.map((c) => [c.name]))('%s --help', async (name) => {
    const run = await runCli([name, '--help'], { cwd: scratch });
    expect(run.exitCode).toBe(0);
    const tail = run.stdout.slice(run.stdout.indexOf('\nExit codes:'));
    expect(tail).toMatch(
      /^\nExit codes:\n( {2}\d+ +\S.*\n)+\nExamples:\n( {2}\$ .*beta-invites .+\n?)+$/,
    );
    expect(tail).toMatch(/\n {2}64 +usage error/);
    if (name !== 'review') expect(run.stdout).toContain('\nEnvironment:\n');
  });
});

describe('--json: an error is one JSON document on stdout too', () => {
  it('a missing file: the message, the hint and exit 1, as JSON', async () => {
    const run = await runCli(['validate-cohort', 'no-such.csv', '--json'], { cwd: scratch });
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ error: 'cannot read no-such.csv: no such file', exitCode: 1 });
    expect(doc.hint).toMatch(/^check the path; the current folder is /);
    expect(run.stderr.split('\n')[0]).toBe('beta-invites: cannot read no-such.csv: no such file');
  });

  it('a bad flag value and an unknown flag: exit 64, as JSON', async () => {
    const bad = await runCli(['report', '--json', '--since', 'yesterday'], { cwd: scratch });
    expect(bad.exitCode).toBe(64);
    expect(JSON.parse(bad.stdout)).toMatchObject({ exitCode: 64 });
    const unknown = await runCli(['validate-cohort', 'x.csv', '--format', 'json', '--bogus'], {
      cwd: scratch,
    });
    expect(unknown.exitCode).toBe(64);
    expect(JSON.parse(unknown.stdout)).toMatchInlineSnapshot(`
      {
        "error": "unknown option '--bogus'",
        "exitCode": 64,
        "hint": "see beta-invites --help",
      }
    `);
  });

  it('without --json, stdout stays empty on error', async () => {
    const run = await runCli(['validate-cohort', 'no-such.csv'], { cwd: scratch });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
  });
});

describe('a closed stdout ends the printing quietly, not the work', { timeout: 240_000 }, () => {
  it('send dry run | head -1: the first line, exit 0, no EPIPE', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(30, 'pipe') });
    const run = await throughHead(['send', out.dir, '--smtp', sink.url()]);
    expect(run.stdout).toBe('Dry run: nothing was sent.');
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/EPIPE|unexpected error/);
  });

  it('send --confirm | head -1: every message is still sent once and recorded', async () => {
    const emails = addresses(40, 'piped');
    const out = await makeOutdir({ sql: await db.sql(), emails });
    const before = sink.messages.length;
    const run = await throughHead(['send', out.dir, '--confirm', '--smtp', sink.url()]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/EPIPE|unexpected error/);
    expect(run.stdout).toMatch(/^✅ 40 of 40 sent, 0 failed/);
    expect(sink.messages.length - before).toBe(40);
    expect(ledger(out.dir)).toHaveLength(40);
    const again = await runCli(['send', out.dir, '--confirm', '--smtp', sink.url()], { db });
    expect(again.exitCode).toBe(0);
    expect(sink.messages.length - before).toBe(40);
  });
});
