import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The review folder inside a render folder. */
export const REVIEW_DIR = 'review';

/** A review interrupted (Ctrl-C, kill) leaves its temp folder; one older than this is gone. */
const ABANDONED_MS = 10 * 60_000;

/** Removes the temp folders of interrupted reviews, sparing any review running now. */
function removeAbandoned(dir: string, now: Date): void {
  for (const name of fs.readdirSync(dir)) {
    if (!/^\.review\.[0-9a-f]{8}\.tmp(\.old)?$/.test(name)) continue;
    const at = path.join(dir, name);
    if (now.getTime() - fs.statSync(at).mtimeMs > ABANDONED_MS) {
      fs.rmSync(at, { recursive: true, force: true });
    }
  }
}

/**
 * A review folder under construction, beside the final one: `commit` swaps it into place
 * (a reader sees the old page or the new one), `abort` removes it.
 */
export class ReviewFolderWriter {
  readonly temp: string;
  private readonly final: string;

  constructor(dir: string, now: Date) {
    removeAbandoned(dir, now);
    this.final = path.join(dir, REVIEW_DIR);
    this.temp = path.join(dir, `.${REVIEW_DIR}.${randomBytes(4).toString('hex')}.tmp`);
    fs.mkdirSync(path.join(this.temp, 'r'), { recursive: true });
  }

  write(relative: string, text: string): void {
    fs.writeFileSync(path.join(this.temp, relative), text);
  }

  /** Replaces the previous review folder, if any, by this one. */
  commit(): void {
    const old = `${this.temp}.old`;
    const hadOld = fs.existsSync(this.final);
    if (hadOld) fs.renameSync(this.final, old);
    fs.renameSync(this.temp, this.final);
    if (hadOld) fs.rmSync(old, { recursive: true, force: true });
  }

  abort(): void {
    fs.rmSync(this.temp, { recursive: true, force: true });
  }
}
