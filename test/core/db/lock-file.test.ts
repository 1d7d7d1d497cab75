import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLockFile } from '../../../src/core/db/lock-file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('acquireLockFile', () => {
  it('writes our pid and removes the file on release', () => {
    const lock = path.join(dir, 'a.lock');
    const release = acquireLockFile(lock, 'DATA');
    expect(fs.readFileSync(lock, 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('refuses while a live process holds it, naming the process', () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    try {
      const lock = path.join(dir, 'b.lock');
      fs.writeFileSync(lock, String(holder.pid));
      let error: (Error & { hint?: string; exitCode?: number }) | undefined;
      try {
        acquireLockFile(lock, 'DATA');
      } catch (e) {
        error = e as Error;
      }
      expect(error?.exitCode).toBe(1);
      expect(
        `${error?.message.replace(String(holder.pid), 'PID')} | ${error?.hint}`,
      ).toMatchInlineSnapshot(
        `"the embedded database at DATA is in use by process PID | wait for that command to finish, or stop it; set DATABASE_URL to share a server instead"`,
      );
      expect(fs.readFileSync(lock, 'utf8')).toBe(String(holder.pid));
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    const lock = path.join(dir, 'c.lock');
    fs.writeFileSync(lock, String(gone.pid));
    const release = acquireLockFile(lock, 'DATA');
    expect(fs.readFileSync(lock, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('takes over an empty or garbled lock file', () => {
    const lock = path.join(dir, 'd.lock');
    fs.writeFileSync(lock, '');
    acquireLockFile(lock, 'DATA')();
    fs.writeFileSync(lock, 'not a pid');
    acquireLockFile(lock, 'DATA')();
    expect(fs.existsSync(lock)).toBe(false);
  });
});
