import fs from 'node:fs';
import path from 'node:path';
import { errnoCode, UserError } from '../../errors.js';
import { readMbox } from './mbox.js';
import type { MessageSource, RawMessage } from './source.js';

const HINT =
  'pass a Maildir (a folder with cur/ and new/), an mbox file, an .eml file or a folder of them, or --imap URL';

function unreadable(what: string, error: unknown): UserError {
  const code = errnoCode(error);
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied)'
        : `cannot be read (${code ?? String(error)})`;
  return new UserError(`${what} ${why}`, { hint: HINT, cause: error });
}

/** Reads one file, or null when it is over the limit (the size is still reported). */
async function readMessage(file: string, where: string, max: number): Promise<RawMessage> {
  try {
    const stat = await fs.promises.stat(file);
    const raw = stat.size > max ? null : await fs.promises.readFile(file);
    // A file's time changes when a Maildir is copied: the Date header is used instead.
    return { where, raw, size: stat.size, arrivedAt: null };
  } catch (error) {
    throw unreadable(where, error);
  }
}

/** Maildir: new/ then cur/ (tmp/ holds deliveries in progress); else the folder's .eml files. */
function listFolder(dir: string): string[] {
  const names = (sub: string) => {
    const at = path.join(dir, sub);
    if (!fs.statSync(at, { throwIfNoEntry: false })?.isDirectory()) return [];
    return fs
      .readdirSync(at)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => path.join(sub, n));
  };
  const maildir = [...names('new'), ...names('cur')];
  if (maildir.length > 0 || fs.existsSync(path.join(dir, 'cur'))) return maildir;
  return fs
    .readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith('.eml'))
    .sort();
}

/** The first bytes of a file: an mbox starts with a `From ` line, a message with a header. */
function sniff(file: string): 'mbox' | 'message' | 'neither' {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString('latin1');
    if (text.startsWith('From ')) return 'mbox';
    return /^[\x21-\x39\x3b-\x7e]+:/.test(text) ? 'message' : 'neither';
  } finally {
    fs.closeSync(fd);
  }
}

/** A local source, its kind told by what is at `target`. Throws when it cannot be read. */
export function openLocalSource(target: string, label: string, max: number): MessageSource {
  let kind: 'folder' | 'mbox' | 'message';
  let files: string[] = [];
  try {
    if (fs.statSync(target).isDirectory()) {
      kind = 'folder';
      files = listFolder(target);
    } else {
      const sniffed = sniff(target);
      if (sniffed === 'neither') {
        throw new UserError(`${label} is neither an mbox file nor a message`, { hint: HINT });
      }
      kind = sniffed;
    }
  } catch (error) {
    throw error instanceof UserError ? error : unreadable(label, error);
  }
  async function* messages(): AsyncGenerator<RawMessage> {
    if (kind === 'mbox') yield* readMbox(target, label, max);
    else if (kind === 'message') yield await readMessage(target, label, max);
    else
      for (const f of files)
        yield await readMessage(path.join(target, f), path.join(label, f), max);
  }
  return { label, messages, close: () => Promise.resolve() };
}
