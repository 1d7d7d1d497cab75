import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTestDatabase } from '../helpers/fixtures.js';
import { emlFiles, manifestOf, senderEnv, writeCohort } from '../helpers/render.js';

const db = useTestDatabase();

const render = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['render', ...args], { db, env: { ...senderEnv, ...env } });

/** Every file of a folder (the .eml files and the manifest) with its bytes. */
function contents(dir: string): Map<string, Buffer> {
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.eml') || f === 'manifest.jsonl');
  return new Map(names.sort().map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

function expectSameFolders(a: string, b: string): void {
  const left = contents(a);
  const right = contents(b);
  expect([...right.keys()]).toEqual([...left.keys()]);
  for (const [name, bytes] of left) expect(right.get(name)?.equals(bytes), name).toBe(true);
}

describe('render --jobs', () => {
  it('writes the same folder with worker threads as with the main thread alone', async () => {
    const cohort = writeCohort(db.home, 300, 'jobs.csv', 'jobs');
    const one = path.join(db.home, 'out-jobs-1');
    const three = path.join(db.home, 'out-jobs-3');
    const first = await render([cohort, '--out', one, '--jobs', '1', '--batch-size', '40']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('300 new invite(s), 0 reused');
    // The same invites again (reused), built by three worker threads.
    const again = await render([cohort, '--out', three, '--batch-size', '40'], {
      BETA_INVITES_JOBS: '3',
    });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('0 new invite(s), 300 reused');
    expect(emlFiles(three)).toHaveLength(300);
    expectSameFolders(one, three);
  });

  it('gives the same dry run with any number of workers, but for the clock', async () => {
    const cohort = writeCohort(db.home, 130, 'jobs-dry.csv', 'dry');
    const one = path.join(db.home, 'out-dry-1');
    const four = path.join(db.home, 'out-dry-4');
    for (const [out, jobs] of [
      [one, '1'],
      [four, '4'],
    ] as const) {
      const run = await render([cohort, '--out', out, '--dry-run', '--jobs', jobs]);
      expect(run.exitCode).toBe(0);
    }
    // A dry run dates its preview invites now: only the Date header and the expiry differ.
    const unclocked = (bytes: Buffer | undefined) =>
      (bytes ?? Buffer.alloc(0)).toString('utf8').replace(/^Date: .*$/m, 'Date: -');
    const left = contents(one);
    const right = contents(four);
    expect([...right.keys()]).toEqual([...left.keys()]);
    expect(right.size).toBe(131);
    for (const [name, bytes] of left) {
      if (name === 'manifest.jsonl') continue;
      expect(unclocked(right.get(name)), name).toBe(unclocked(bytes));
    }
    const entries = (dir: string) =>
      manifestOf(dir).map(({ sha256, ...entry }) => {
        const bytes = fs.readFileSync(path.join(dir, entry.file));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
        return { ...entry, expiresAt: undefined };
      });
    expect(entries(four)).toEqual(entries(one));
  });

  it('stops on a message that cannot be written, the same way on a worker thread', async () => {
    const cohort = writeCohort(db.home, 100, 'jobs-stop.csv', 'stop');
    for (const jobs of ['1', '2']) {
      const out = path.join(db.home, `out-stop-${jobs}`);
      fs.mkdirSync(path.join(out, '00050-stop49_example.org.eml', 'inside'), { recursive: true });
      const run = await render([cohort, '--out', out, '--dry-run', '--jobs', jobs]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr.replace(/\.\d+\.tmp/, '.PID.tmp').replaceAll(out, 'OUT'))
        .toMatchInlineSnapshot(`
        "beta-invites: unexpected error: EISDIR: illegal operation on a directory, rename 'OUT/.00050-stop49_example.org.eml.PID.tmp' -> 'OUT/00050-stop49_example.org.eml'
          rerun with --debug for the stack trace"
      `);
      expect(fs.existsSync(path.join(out, 'manifest.jsonl'))).toBe(false);
    }
  });

  it('refuses a number of workers out of range, naming the flag or the variable', async () => {
    const cohort = writeCohort(db.home, 2, 'jobs-bad.csv', 'bad');
    const out = path.join(db.home, 'out-jobs-bad');
    const zero = await render([cohort, '--out', out, '--jobs', '0']);
    expect(zero.exitCode).toBe(64);
    expect(zero.stderr).toMatchInlineSnapshot(`
      "beta-invites: --jobs: expected a whole number from 1 to 256 (got "0")
        see beta-invites render --help"
    `);
    const many = await render([cohort, '--out', out, '--jobs', '257']);
    expect(many.exitCode).toBe(64);
    expect(many.stderr).toMatchInlineSnapshot(`
      "beta-invites: --jobs: expected a whole number from 1 to 256 (got "257")
        see beta-invites render --help"
    `);
    const word = await render([cohort, '--out', out], { BETA_INVITES_JOBS: 'two' });
    expect(word.exitCode).toBe(64);
    expect(word.stderr).toMatchInlineSnapshot(`
      "beta-invites: BETA_INVITES_JOBS: expected a whole number from 1 to 256 (got "two")
        see beta-invites render --help"
    `);
    expect(fs.existsSync(out)).toBe(false);
  });
});
