import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, normalize, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { bin } from '../helpers/paths.js';
import { manifestOf, senderEnv, writeCohort } from '../helpers/render.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const LOCK = '.render.lock';

async function waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A render of the real binary left running in the background. */
function startRender(file: string, out: string): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [bin, 'render', file, '--out', out], {
    cwd: db.home,
    env: cleanEnv({ ...db.env, ...senderEnv }),
    extendEnv: false,
    reject: false,
  });
}

async function inviteCount(prefix: string): Promise<number> {
  const sql = await db.sql();
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.beta_invites where email like ${prefix + '%'}`;
  await db.release();
  return row?.n ?? 0;
}

describe('render: one render at a time per output folder', () => {
  it('refuses a second render into a folder being rendered, and send too; a rerun then merges', async () => {
    await db.release();
    const out = path.join(db.home, 'out-shared');
    const first = writeCohort(db.home, 1000, 'first.csv', 'first');
    const second = writeCohort(db.home, 60, 'second.csv', 'second');
    const winner = startRender(first, out);
    // Paused while it holds the lock: the two renders overlap for certain, however
    // fast or slow this machine is.
    const writing = () => fs.existsSync(out) && fs.readdirSync(out).some((f) => f.endsWith('.eml'));
    await waitFor(writing, 'the first render to write its first .eml');
    expect(winner.pid).toBeDefined();
    process.kill(winner.pid ?? 0, 'SIGSTOP');
    const holder = JSON.parse(fs.readFileSync(path.join(out, LOCK), 'utf8')) as {
      pid: number;
      host: string;
      startedAt: string;
    };
    let loser;
    let send;
    try {
      loser = await runCli(['render', second, '--out', out], { db, env: senderEnv });
      send = await runCli(['send', out, '--smtp', 'smtp://127.0.0.1:9'], { db });
    } finally {
      process.kill(winner.pid ?? 0, 'SIGCONT');
    }
    const won = await winner;
    expect(holder).toMatchObject({ pid: winner.pid, host: os.hostname() });
    const replacements = {
      [out]: 'DIR',
      [String(holder.pid)]: 'PID',
      [holder.host]: 'HOST',
      [holder.startedAt]: 'START',
    };
    expect([won.exitCode, loser.exitCode, send.exitCode]).toEqual([0, 1, 1]);
    expect(normalize(loser.stderr, replacements)).toMatchInlineSnapshot(`
      "beta-invites: the output folder DIR is being written by render (process PID on HOST, since START)
        wait for it to finish, or render into another folder with --out"
    `);
    expect(normalize(send.stderr, replacements)).toMatchInlineSnapshot(`
      "beta-invites: the output folder DIR is being written by render (process PID on HOST, since START)
        wait for it to finish, then send the folder it leaves"
    `);
    // The winner's rows, exactly; nothing of the loser, in the folder or the database.
    const rows = manifestOf(out);
    expect(rows).toHaveLength(1000);
    expect(rows.every((r) => r.email.startsWith('first'))).toBe(true);
    expect(await inviteCount('second')).toBe(0);
    expect(fs.existsSync(path.join(out, LOCK))).toBe(false);

    const rerun = await runCli(['render', second, '--out', out], { db, env: senderEnv });
    expect(rerun.exitCode).toBe(0);
    const both = manifestOf(out);
    expect(both).toHaveLength(1060);
    expect(both.filter((r) => r.email.startsWith('second'))).toHaveLength(60);
    expect(new Set(both.map((r) => r.file)).size).toBe(1060);
    expect(fs.existsSync(path.join(out, LOCK))).toBe(false);
  });

  it('takes over the lock of a dead process on this host', async () => {
    const out = path.join(db.home, 'out-stale');
    fs.mkdirSync(out);
    // A pid that cannot be alive: above the kernel's maximum.
    const stale = { pid: 2 ** 22 + 1, host: os.hostname(), startedAt: '2026-05-01T09:00:00.000Z' };
    fs.writeFileSync(path.join(out, LOCK), JSON.stringify(stale));
    const cohort = writeCohort(db.home, 60, 'stale.csv', 'stale');
    const run = await runCli(['render', cohort, '--out', out], { db, env: senderEnv });
    expect(run.exitCode).toBe(0);
    expect(manifestOf(out)).toHaveLength(60);
    expect(fs.existsSync(path.join(out, LOCK))).toBe(false);
  });

  it('refuses a lock held on another host, naming the file to delete if it is gone', async () => {
    const out = path.join(db.home, 'out-remote');
    fs.mkdirSync(out);
    const remote = { pid: 4242, host: 'other-box', startedAt: '2026-05-01T09:00:00.000Z' };
    fs.writeFileSync(path.join(out, LOCK), JSON.stringify(remote));
    const cohort = writeCohort(db.home, 60, 'remote.csv', 'remote');
    const run = await runCli(['render', cohort, '--out', out], { db, env: senderEnv });
    expect(run.exitCode).toBe(1);
    expect(normalize(run.stderr, { [out]: 'DIR' })).toMatchInlineSnapshot(`
      "beta-invites: the output folder DIR is being written by render (process 4242 on other-box, since 2026-05-01T09:00:00.000Z)
        wait for it to finish; if that process is gone, delete DIR/.render.lock"
    `);
    expect(fs.readdirSync(out)).toEqual([LOCK]);
    expect(await inviteCount('remote')).toBe(0);
  });
});
