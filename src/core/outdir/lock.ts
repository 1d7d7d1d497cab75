import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError, errnoCode } from '../errors.js';
import { isAlive } from '../pid.js';

/** The lock file a `render` holds in its output folder for the whole run. */
export const OUTDIR_LOCK = '.render.lock';

/** What the lock file holds: enough to name the holder and to tell a dead one. */
export interface OutDirLockHolder {
  pid: number;
  host: string;
  /** ISO 8601 instant the holder took the lock. */
  startedAt: string;
}

/**
 * An empty or unreadable lock younger than this may be one being written right now
 * (create and write are two steps); older, it is the leftover of a crash in between.
 */
const HALF_WRITTEN_GRACE_MS = 10_000;

/** Locks held by this process, by folder, so the end of the run can let go of them. */
const held = new Map<string, () => void>();

function parseHolder(text: string): OutDirLockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<OutDirLockHolder>;
    const { pid, host, startedAt } = value;
    if (typeof pid === 'number' && typeof host === 'string' && typeof startedAt === 'string')
      return { pid, host, startedAt };
  } catch {
    // fall through: not a lock this tool wrote whole
  }
  return undefined;
}

function readLock(
  file: string,
): { text: string; holder?: OutDirLockHolder; ageMs: number } | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const ageMs = Date.now() - fs.statSync(file).mtimeMs;
    return { text, holder: parseHolder(text), ageMs };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Whether a lock still stands: a live process on this host, a holder on another host
 * (its process cannot be checked from here), or a lock still being written.
 */
function standing(lock: { holder?: OutDirLockHolder; ageMs: number }): boolean {
  const { holder } = lock;
  if (!holder) return lock.ageMs < HALF_WRITTEN_GRACE_MS;
  if (holder.host !== os.hostname()) return true;
  // Our own pid, not in `held`: a killed run whose pid this process was given again.
  return holder.pid !== process.pid && isAlive(holder.pid);
}

function busyError(
  dir: string,
  holder: OutDirLockHolder | undefined,
  forWhat: 'render' | 'send',
): UserError {
  const who = holder
    ? `process ${holder.pid} on ${holder.host}, since ${holder.startedAt}`
    : 'a process that is starting';
  const elsewhere = holder && holder.host !== os.hostname();
  return new UserError(`the output folder ${dir} is being written by render (${who})`, {
    hint: elsewhere
      ? `wait for it to finish; if that process is gone, delete ${path.join(dir, OUTDIR_LOCK)}`
      : forWhat === 'render'
        ? 'wait for it to finish, or render into another folder with --out'
        : 'wait for it to finish, then send the folder it leaves',
  });
}

/**
 * Refuses at once when another process is rendering into `dir` (a render still running;
 * a `send` would send a folder whose manifest is about to change). Reads only.
 */
export function assertOutDirFree(dir: string, forWhat: 'render' | 'send'): void {
  const lock = readLock(path.join(dir, OUTDIR_LOCK));
  if (!lock || !standing(lock)) return;
  throw busyError(dir, lock.holder, forWhat);
}

/**
 * Moves a stale lock aside and removes it, unless it changed since it was read: two runs
 * finding the same stale lock must not each delete the fresh lock of the other.
 */
function takeOver(file: string, staleText: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  if (fs.readFileSync(aside, 'utf8') !== staleText) {
    // A fresh lock taken in between: put it back (link fails if yet another exists).
    try {
      fs.linkSync(aside, file);
    } catch {
      // that other lock stands; ours is retried against it
    }
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Takes the output folder's lock for this process (`O_EXCL`: one winner), holding its
 * pid, host and start time. A lock of a dead process on this host is taken over; a live
 * one refuses at once. Released by `releaseOutDir`, or when the process exits.
 */
export function lockOutDir(dir: string, now: Date): void {
  const file = path.join(dir, OUTDIR_LOCK);
  if (held.has(dir)) return;
  const mine: OutDirLockHolder = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: now.toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(
        file,
        fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY,
        0o644,
      );
      const text = JSON.stringify(mine) + '\n';
      try {
        fs.writeSync(fd, text);
      } catch (error) {
        // An empty lock would hold the folder for the grace period: take it back.
        fs.rmSync(file, { force: true });
        throw error;
      } finally {
        fs.closeSync(fd);
      }
      holdUntilReleased(dir, file, text);
      return;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      const lock = readLock(file);
      if (lock && standing(lock)) throw busyError(dir, lock.holder, 'render');
      if (lock) takeOver(file, lock.text);
    }
  }
  throw busyError(dir, readLock(file)?.holder, 'render');
}

function holdUntilReleased(dir: string, file: string, text: string): void {
  const release = () => {
    process.off('exit', release);
    held.delete(dir);
    // Only our own lock: never one another run took over after ours was judged stale.
    if (readLock(file)?.text === text) fs.rmSync(file, { force: true });
  };
  held.set(dir, release);
  // Also on exit: a run that ends early (an error, Ctrl-C) must not leave a lock naming it.
  process.on('exit', release);
}

/** Lets go of this process's lock on `dir`, if it holds one. */
export function releaseOutDir(dir: string): void {
  held.get(dir)?.();
}
