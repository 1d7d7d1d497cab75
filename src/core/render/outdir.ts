import fs from 'node:fs';
import path from 'node:path';
import { UserError, errnoCode } from '../errors.js';
import { csvRecord } from '../csv-write.js';
import { OUTDIR } from '../outdir/files.js';
import { assertOutDirFree, lockOutDir } from '../outdir/lock.js';
import type { ManifestEntry } from '../outdir/manifest.js';
import type { PreviousManifest } from './previous-manifest.js';
import { isAlive } from '../pid.js';

function outDirError(dir: string, code: string): UserError {
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOTDIR: 'a parent is not a folder',
    EEXIST: 'exists and is not a folder',
  };
  return new UserError(`cannot write to the output folder ${dir}: ${reasons[code] ?? code}`, {
    hint: 'choose another folder with --out',
  });
}

/**
 * Fails fast, before the database is touched, when the folder could not be written
 * (the nearest existing ancestor must be a writable folder) or another render is writing
 * into it. Creates nothing.
 */
export function checkOutDir(dir: string): void {
  findWritableAncestor(dir);
  if (fs.existsSync(dir)) assertOutDirFree(dir, 'render');
}

function findWritableAncestor(dir: string): void {
  for (let at = dir; ; at = path.dirname(at)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(at);
    } catch (error) {
      const code = errnoCode(error) ?? 'error';
      if (code === 'ENOENT' && path.dirname(at) !== at) continue;
      throw outDirError(dir, code);
    }
    if (!stat.isDirectory()) throw outDirError(dir, at === dir ? 'EEXIST' : 'ENOTDIR');
    try {
      fs.accessSync(at, fs.constants.W_OK);
    } catch (error) {
      throw outDirError(dir, errnoCode(error) ?? 'EACCES');
    }
    return;
  }
}

/** `.NAME.PID.tmp`: a temp file named after its process, so a later run knows its owner. */
function tempName(name: string): string {
  return `.${name}.${process.pid}.tmp`;
}

/**
 * Removes the temp files a killed run left behind (its .eml, manifest and probe in the
 * making), so a rerun leaves the folder as a run without crashes does. Those of a process
 * still alive are left alone.
 */
function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const match = /^\.(?:.+\.eml|manifest\.jsonl|failed\.csv|write-test)\.(\d+)\.tmp$/.exec(name);
    const pid = Number(match?.[1]);
    if (match && (pid === process.pid || !isAlive(pid))) fs.rmSync(path.join(dir, name));
  }
}

/**
 * Creates the output folder (or reuses it, minus a killed run's temp files), takes its
 * lock for the whole render (released by `renderCohort`, or at exit) and proves it is
 * writable. Two renders into one folder would each write a manifest without the other's
 * recipients: the second is refused here, before anything is written.
 */
export function prepareOutDir(dir: string, clock: () => Date = () => new Date()): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw outDirError(dir, errnoCode(error) ?? 'error');
  }
  try {
    lockOutDir(dir, clock());
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw outDirError(dir, errnoCode(error) ?? 'error');
  }
  try {
    removeStaleTemps(dir);
    const probe = path.join(dir, tempName('write-test'));
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    throw outDirError(dir, errnoCode(error) ?? 'error');
  }
}

/** `00042-alice_example.org.eml`: sortable, and safe on every file system. */
export function emlFileName(seq: number, width: number, email: string): string {
  const safe = email
    .toLowerCase()
    .replace('@', '_')
    .replace(/[^a-z0-9._+-]/g, '_')
    .slice(0, 100);
  return `${String(seq).padStart(width, '0')}-${safe}.eml`;
}

/** True when `file` is a regular file holding exactly `bytes` (a symlink never is). */
function holds(file: string, bytes: Buffer): boolean {
  const stat = fs.lstatSync(file);
  return stat.isFile() && stat.size === bytes.length && fs.readFileSync(file).equals(bytes);
}

/**
 * Writes one .eml once, under its final name (exclusive create: one file system entry per
 * message, not a temp file and a rename in a folder of up to 100k entries). A write that
 * fails removes what it created. On a rerun, a file that already holds these bytes is left
 * alone, and any other (a change, a killed run's partial file, a symlink) is replaced
 * through a temp file and a rename, so a reader never sees a partial replacement.
 * Synchronous on purpose: files created in one folder queue on the folder's lock in the
 * kernel, and a few KB written directly cost less than the round trips through libuv's
 * thread pool.
 */
export function writeEml(dir: string, name: string, bytes: Buffer): void {
  const file = path.join(dir, name);
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
    if (holds(file, bytes)) return;
    const temp = path.join(dir, tempName(name));
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, file);
    return;
  }
  try {
    for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw error;
  }
  fs.closeSync(fd);
}

/**
 * Streams this run's manifest lines to a temp file, a batch at a time; `commit` adds the
 * earlier run's entries this run did not write again, fsyncs and renames it into place
 * atomically.
 */
export class ManifestWriter {
  private readonly temp: string;
  private readonly fd: number;

  constructor(private readonly dir: string) {
    this.temp = path.join(dir, tempName(OUTDIR.manifest));
    this.fd = fs.openSync(this.temp, 'w');
  }

  add(entries: ManifestEntry[]): void {
    if (entries.length === 0) return;
    writeAll(this.fd, entries.map((entry) => JSON.stringify(entry) + '\n').join(''));
  }

  commit(previous: PreviousManifest): void {
    let lines: string[] = [];
    for (const entry of previous.untouched()) {
      lines.push(JSON.stringify(entry) + '\n');
      if (lines.length >= 1000) {
        writeAll(this.fd, lines.join(''));
        lines = [];
      }
    }
    if (lines.length > 0) writeAll(this.fd, lines.join(''));
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.renameSync(this.temp, path.join(this.dir, OUTDIR.manifest));
  }

  abort(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.temp, { force: true });
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at);
}

/** One row that failed: its original fields and why. */
export interface FailedRow {
  fields: string[];
  error: string;
}

/**
 * Streams `failed.csv` (the input's header plus `error`) to a temp file as rows fail, and
 * renames it into place at the end, or removes a stale one when this run had no failure.
 * Every cell is text and made formula-safe by the CSV writer; the cohort reader undoes
 * the mark, so a rerun reads the same recipient.
 */
export class FailedCsvWriter {
  private readonly file: string;
  private readonly temp: string;
  private fd: number | undefined;
  private at = -1;
  count = 0;

  constructor(dir: string) {
    this.file = path.join(dir, OUTDIR.failed);
    this.temp = path.join(dir, tempName(OUTDIR.failed));
  }

  /** Adds failed rows; `columns` is the input's header. */
  add(columns: string[], rows: FailedRow[]): void {
    if (rows.length === 0) return;
    let text = '';
    if (this.fd === undefined) {
      this.fd = fs.openSync(this.temp, 'w', 0o644);
      this.at = columns.indexOf('error');
      text += csvRecord(this.at >= 0 ? columns : [...columns, 'error']);
    }
    for (const row of rows) {
      const values = columns.map((_, i) => row.fields[i] ?? '');
      if (this.at >= 0) values[this.at] = row.error;
      else values.push(row.error);
      text += csvRecord(values);
    }
    this.count += rows.length;
    writeAll(this.fd, text);
  }

  /** Puts failed.csv in place (or removes a stale one); its path, if there is one. */
  commit(): string | undefined {
    if (this.fd === undefined) {
      fs.rmSync(this.file, { force: true });
      return undefined;
    }
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = undefined;
    fs.renameSync(this.temp, this.file);
    return this.file;
  }

  abort(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.temp, { force: true });
  }
}
