import fs from 'node:fs';
import path from 'node:path';
import { toError } from '../errors.js';
import { DURABLE_WRITES, openLogNoFollow } from './no-follow.js';

/** Lines written per write+fsync at most; more wait for the next round. */
const MAX_BATCH = 512;

/** When a batch is written: as soon as `lines` wait, or `ms` after the first of them. */
export interface GroupCommit {
  lines: number;
  ms: number;
}

/** Every line at once (the lines of the same tick share the fsync). */
const AT_ONCE: GroupCommit = { lines: 1, ms: 0 };

interface Waiting {
  line: string;
  value: unknown;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * An append-only JSON-lines file where `append` resolves only once the line is on disk
 * (a write with O_DSYNC, or a write and fdatasync, on libuv's thread pool: the event loop
 * goes on meanwhile). Group commit: lines wait until `commit.lines` of them are there or
 * `commit.ms` have passed since the first, whichever comes first (or at once on flush()),
 * then go out in one durable write; lines appended while it runs go in the next.
 * Concurrent senders share one fsync instead of paying one each.
 */
export class DurableLog<T> {
  private waiting: Waiting[] = [];
  private running: Promise<void> | undefined;
  private broken: Error | undefined;
  /** When the first of the waiting lines was appended (performance.now()). */
  private firstAt = 0;
  /** Set by flush(): the next batch goes out without waiting for more lines. */
  private hurry = false;
  /** Wakes the drain early once enough lines wait. */
  private wake: (() => void) | undefined;

  private constructor(
    readonly file: string,
    private readonly handle: fs.promises.FileHandle,
    /** Called with each batch once it is durable (before its appends resolve). */
    private readonly onDurable: (values: T[]) => void,
    private readonly commit: GroupCommit,
  ) {}

  /**
   * Opens `file` for appending, first cutting a torn last line left by a crash. Never
   * through a link planted in its place (refused with a UserError, the target untouched).
   */
  static async open<T>(
    file: string,
    onDurable: (values: T[]) => void = () => {},
    commit: GroupCommit = AT_ONCE,
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
    return new DurableLog<T>(file, handle, onDurable, commit);
  }

  /** Appends one value as a JSON line; resolves when it is durable, rejects if it cannot be. */
  append(value: T): Promise<void> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) this.firstAt = performance.now();
      this.waiting.push({ line: JSON.stringify(value) + '\n', value, resolve, reject });
      if (this.waiting.length >= this.commit.lines) this.wake?.();
      this.running ??= this.drain();
    });
  }

  /**
   * Writes the waiting lines without waiting for more (someone waits for them to be
   * durable); lines appended while a write runs go in the next one as usual.
   */
  flush(): void {
    this.hurry = true;
    this.wake?.();
  }

  /** Until `commit.lines` lines wait or `commit.ms` have passed since the first (a tick at least). */
  private async gather(): Promise<void> {
    const left = this.firstAt + this.commit.ms - performance.now();
    if (this.hurry || this.waiting.length >= this.commit.lines || left <= 0) {
      // Let the appends of the same tick join the batch.
      await new Promise((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, left);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      await this.gather();
      this.hurry = false;
      const batch = this.waiting.splice(0, MAX_BATCH);
      // Lines left over from a full batch have waited long enough.
      if (this.waiting.length > 0) this.firstAt = -Infinity;
      try {
        await writeAll(this.handle, Buffer.from(batch.map((w) => w.line).join('')));
        if (!DURABLE_WRITES) await this.handle.datasync();
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
