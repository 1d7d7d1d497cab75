import fs from 'node:fs';
import { UserError, errnoCode } from '../errors.js';

/** Why a send log is refused: a link planted in its place, or not a plain file. */
function notPlainFile(file: string, what: string): UserError {
  return new UserError(`${file} is ${what}: send writes its logs only as plain files`, {
    hint: `nothing was sent; remove it (rm ${file}) or, if it stands for this folder's real log, put that file there instead, then rerun`,
  });
}

/**
 * Refuses a send log that is a symbolic link or not a plain file, before anything reads
 * or writes it: a link would make send truncate or append to whatever it points at.
 * A missing file is fine (send creates it).
 */
export function assertPlainLog(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  if (stat.isSymbolicLink()) throw notPlainFile(file, 'a symbolic link');
  if (!stat.isFile()) throw notPlainFile(file, 'not a plain file');
}

const { O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_DSYNC } = fs.constants;

/**
 * Whether each write to a send log is durable when it returns (O_DSYNC: the write and
 * its fdatasync in one call, one trip to libuv's thread pool instead of two). Where the
 * flag does not exist (Windows), the log calls fdatasync after each write.
 */
export const DURABLE_WRITES = O_DSYNC !== undefined;
const SYNC = O_DSYNC ?? 0;

/**
 * Opens a send log for reading and appending without ever following a link (O_NOFOLLOW),
 * so a link planted between the check and the open is refused too; with O_DSYNC where it
 * exists (see DURABLE_WRITES). Says whether this call created the file.
 */
export async function openLogNoFollow(
  file: string,
): Promise<{ handle: fs.promises.FileHandle; created: boolean }> {
  let handle: fs.promises.FileHandle;
  let created = false;
  try {
    try {
      handle = await fs.promises.open(file, O_RDWR | O_APPEND | O_NOFOLLOW | SYNC);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
      handle = await fs.promises.open(
        file,
        O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | SYNC,
        0o644,
      );
      created = true;
    }
  } catch (error) {
    if (errnoCode(error) === 'ELOOP') throw notPlainFile(file, 'a symbolic link');
    throw error;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw notPlainFile(file, 'not a plain file');
  }
  return { handle, created };
}
