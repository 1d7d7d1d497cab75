import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLockFile, tryLockFile } from '../../../src/core/db/lock-file.js';
import { failure } from '../../helpers/failure.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A live process that is not us, ended by the test. */
function sleeper() {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

describe('acquireLockFile', () => {
  it('writes our pid and what we run, and removes the file on release', async () => {
    const lock = path.join(dir, 'a.lock');
    const release = await acquireLockFile(lock, 'DATA');
    expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('refuses while a live process holds it past the wait, naming the process and its command', async () => {
    const holder = sleeper();
    try {
      const lock = path.join(dir, 'b.lock');
      fs.writeFileSync(lock, `${holder.pid}\nbeta-invites monitor\n`);
      const started = Date.now();
      const message = await failure(acquireLockFile(lock, 'DATA', { waitMs: 1_000 }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(message.replace(String(holder.pid), 'PID')).toMatchInlineSnapshot(
        `"1: the embedded database at DATA is in use by process PID (beta-invites monitor), still after waiting 1 s | wait for that command to finish, or stop it; set DATABASE_URL to share a server instead"`,
      );
      expect(fs.readFileSync(lock, 'utf8')).toBe(`${holder.pid}\nbeta-invites monitor\n`);
      // A lock file of an older version: the pid alone.
      fs.writeFileSync(lock, String(holder.pid));
      expect(tryLockFile(lock)).toEqual({ pid: holder.pid, command: undefined });
    } finally {
      holder.kill();
    }
  });

  it('waits for a holder that lets go within the wait, then takes the lock', async () => {
    const holder = sleeper();
    const lock = path.join(dir, 'w.lock');
    fs.writeFileSync(lock, `${holder.pid}\nbeta-invites monitor\n`);
    setTimeout(() => fs.rmSync(lock), 500);
    try {
      const started = Date.now();
      const release = await acquireLockFile(lock, 'DATA', { waitMs: 10_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(process.pid));
      release();
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    const lock = path.join(dir, 'c.lock');
    fs.writeFileSync(lock, String(gone.pid));
    const release = await acquireLockFile(lock, 'DATA', { waitMs: 0 });
    expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(process.pid));
    release();
  });

  it('takes over an empty or garbled lock file once it is a few seconds old, not before', async () => {
    const lock = path.join(dir, 'd.lock');
    const old = new Date(Date.now() - 60_000);
    fs.writeFileSync(lock, '');
    // Just created by another process that has not written its pid yet: held.
    expect(tryLockFile(lock)).toEqual({ pid: 0, command: undefined });
    fs.utimesSync(lock, old, old);
    (await acquireLockFile(lock, 'DATA', { waitMs: 0 }))();
    fs.writeFileSync(lock, 'not a pid');
    fs.utimesSync(lock, old, old);
    (await acquireLockFile(lock, 'DATA', { waitMs: 0 }))();
    expect(fs.existsSync(lock)).toBe(false);
  });
});
