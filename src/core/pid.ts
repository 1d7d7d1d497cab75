import { errnoCode } from './errors.js';

/**
 * True while process `pid` exists on this machine (EPERM: it exists, under another
 * user). Lock files name their holder's pid; a dead holder's lock is taken over.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}
