import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { UserError, errnoCode } from '../errors.js';
import { isAlive } from '../pid.js';
import { joinQueue } from './lock-queue.js';

/** Who holds the embedded database's lock file. */
export interface LockHolder {
  pid: number;
  /** What it runs (`beta-invites monitor`), when the lock file says. */
  command: string | undefined;
}

/** How long a lock file may stay empty or garbled before it counts as abandoned. */
const GARBLED_GRACE_MS = 5_000;

/**
 * What this process runs, for the lock file: the subcommand only (never its arguments,
 * which may hold a URL with a password).
 */
function describeSelf(): string {
  const [, script = '', ...args] = process.argv;
  const name = path.basename(script).replace(/\.js$/, '');
  const command = args.find((a) => !a.startsWith('-'));
  return name === 'beta-invites' && command ? `beta-invites ${command}` : name;
}

/**
 * The live holder of the lock file, undefined when it may be taken over: its process is
 * gone, or it is ours, or the file stayed garbled for a while. A garbled file younger than
 * that is being written by a process that just created it: held, by an unknown pid.
 */
function liveHolder(lockPath: string): LockHolder | undefined {
  const [first = '', command] = fs.readFileSync(lockPath, 'utf8').split('\n');
  const pid = Number(first.trim());
  if (!Number.isInteger(pid) || pid <= 0) {
    const age = Date.now() - fs.statSync(lockPath).mtimeMs;
    return age < GARBLED_GRACE_MS ? { pid: 0, command: undefined } : undefined;
  }
  if (pid === process.pid || !isAlive(pid)) return undefined;
  return { pid, command: command?.trim() || undefined };
}

/**
 * Tries once to take the embedded database's lock file (one process at a time may open a
 * PGlite data directory; two would corrupt it). A lock left by a dead process is taken
 * over. Returns the function that releases it, or the live holder.
 */
export function tryLockFile(lockPath: string): (() => void) | LockHolder {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n${describeSelf()}\n`, { flag: 'wx' });
      // Also on exit: an interrupted run may exit before the database finished closing,
      // and a lock file naming a dead process would mislead the next operator.
      const release = () => {
        process.off('exit', release);
        fs.rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder === 'gone') continue;
      if (holder) return holder;
      fs.rmSync(lockPath, { force: true });
    }
  }
  // Taken again each time by someone else in between: held, for now.
  return { pid: 0, command: undefined };
}

/** liveHolder, or 'gone' when the holder let go while we looked (try again). */
function readHolder(lockPath: string): LockHolder | undefined | 'gone' {
  try {
    return liveHolder(lockPath);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
}

export interface LockWait {
  /** How long to wait for the holder to let go. Default 10 s. */
  waitMs?: number;
  /** How often to look. Default 50 ms. */
  pollMs?: number;
}

/**
 * Takes the lock file, waiting (bounded, in line with other waiters) while another
 * process holds it: a monitor loop holds the directory for a second at a time, a short
 * command for a few seconds. Refuses naming the holder once the wait is over. Returns
 * the function that releases it.
 */
export async function acquireLockFile(
  lockPath: string,
  dataDir: string,
  wait: LockWait = {},
): Promise<() => void> {
  const waitMs = wait.waitMs ?? 10_000;
  const deadline = Date.now() + waitMs;
  // In line even for the first try: a lock let go for a moment goes to who came first.
  const ticket = joinQueue(lockPath);
  try {
    for (;;) {
      const last = Date.now() >= deadline;
      // In turn; at the end of the wait, a free lock is taken whoever is in line.
      if (ticket.first() || last) {
        const got = tryLockFile(lockPath);
        if (typeof got === 'function') return got;
        if (last) throw busyError(dataDir, got, waitMs);
      }
      await delay(wait.pollMs ?? 50);
    }
  } finally {
    ticket.leave();
  }
}

function busyError(dataDir: string, holder: LockHolder, waitMs: number): UserError {
  const who =
    holder.pid === 0
      ? 'another process'
      : `process ${holder.pid}${holder.command ? ` (${holder.command})` : ''}`;
  const waited = waitMs > 0 ? `, still after waiting ${Math.round(waitMs / 1000)} s` : '';
  return new UserError(`the embedded database at ${dataDir} is in use by ${who}${waited}`, {
    hint: 'wait for that command to finish, or stop it; set DATABASE_URL to share a server instead',
  });
}
