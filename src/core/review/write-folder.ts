import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The review folder inside a render folder. */
export const REVIEW_DIR = 'review';

/**
 * A review folder under construction, beside the final one: `commit` swaps it into place
 * (a reader sees the old page or the new one), `abort` removes it.
 */
export class ReviewFolderWriter {
  readonly temp: string;
  private readonly final: string;

  constructor(dir: string) {
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
