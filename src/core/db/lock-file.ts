import fs from 'node:fs';
import { UserError, errnoCode } from '../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/**
 * Takes the embedded database's lock file (one process at a time may open a PGlite data
 * directory; two would corrupt it). A lock left by a dead process is taken over.
 * Returns the function that releases it.
 */
export function acquireLockFile(lockPath: string, dataDir: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
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
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new UserError(`the embedded database at ${dataDir} is in use by process ${holder}`, {
          hint: 'wait for that command to finish, or stop it; set DATABASE_URL to share a server instead',
        });
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new UserError(`could not lock the embedded database at ${dataDir}`);
}
