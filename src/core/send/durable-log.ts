import fs from 'node:fs';
import path from 'node:path';
import { toError } from '../errors.js';
import { openLogNoFollow } from './no-follow.js';

/** Lines written per write+fsync at most; more wait for the next round. */
const MAX_BATCH = 512;

interface Waiting {
  line: string;
  value: unknown;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * An append-only JSON-lines file where `append` resolves only once the line is on disk
 * (fsync). Group commit: lines appended while a write+fsync is running go out together
 * in the next one, so concurrent senders share one fsync instead of paying one each.
 */
export class DurableLog<T> {
  private waiting: Waiting[] = [];
  private running: Promise<void> | undefined;
  private broken: Error | undefined;

  private constructor(
    readonly file: string,
    private readonly handle: fs.promises.FileHandle,
    /** Called with each batch once it is durable (before its appends resolve). */
    private readonly onDurable: (values: T[]) => void,
  ) {}

  /**
   * Opens `file` for appending, first cutting a torn last line left by a crash. Never
   * through a link planted in its place (refused with a UserError, the target untouched).
   */
  static async open<T>(
    file: string,
    onDurable: (values: T[]) => void = () => {},
  ): Promise<DurableLog<T>> {
    const { handle, created } = await openLogNoFollow(file);
    try {
      if (created) {
        await handle.sync();
        syncDirectory(path.dirname(file));
      } else await repairTornTail(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new DurableLog<T>(file, handle, onDurable);
  }

  /** Appends one value as a JSON line; resolves when it is durable, rejects if it cannot be. */
  append(value: T): Promise<void> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiting.push({ line: JSON.stringify(value) + '\n', value, resolve, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the appends of the same tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        await writeAll(this.handle, Buffer.from(batch.map((w) => w.line).join('')));
        await this.handle.datasync();
      } catch (error) {
        this.broken = toError(error);
        for (const w of [...batch, ...this.waiting.splice(0)]) w.reject(this.broken);
        break;
      }
      this.onDurable(batch.map((w) => w.value as T));
      for (const w of batch) w.resolve();
    }
    this.running = undefined;
  }

  /** Waits for every appended line, then closes the file. */
  async close(): Promise<void> {
    while (this.running) await this.running.catch(() => {});
    await this.handle.close();
  }
}

async function writeAll(handle: fs.promises.FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/**
 * A crash in the middle of an append can leave a last line without its newline; the next
 * append would glue onto it and corrupt a good line. That line was never acknowledged
 * (its fsync had not returned), so cutting it is exact.
 */
export async function repairTornTail(handle: fs.promises.FileHandle): Promise<void> {
  const text = await handle.readFile();
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  await handle.truncate(text.lastIndexOf(0x0a) + 1);
}

/** Makes a new file's directory entry durable (Linux, macOS; a no-op where unsupported). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a directory; its file systems journal the entry anyway.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
