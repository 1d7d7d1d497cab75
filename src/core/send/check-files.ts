import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError, errnoCode } from '../errors.js';
import type { ManifestEntry } from '../outdir/manifest.js';
import { readInviteHeaders, type InviteHeaders } from './headers.js';

/** One message to send, checked against its manifest entry. */
export interface SendItem {
  inviteId: string;
  email: string;
  /** The file name, relative to the folder. */
  file: string;
  path: string;
  /** sha256 of the file as checked (what must be sent). */
  sha256: string;
  from: string;
  to: string[];
}

export interface CheckedFiles {
  items: SendItem[];
  missing: string[];
  /** Files whose headers contradict the manifest: "file (why)". */
  mismatched: string[];
  /** Files whose sha256 differs from the manifest's. */
  edited: string[];
}

/** Files read between two looks at the abort signal. */
const CHUNK = 256;

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Why headers `h` cannot be sent as `entry`, or undefined when they can. */
function headerProblem(h: InviteHeaders, entry: ManifestEntry): string | undefined {
  if (h.preview) return 'a --dry-run preview';
  if (h.inviteId !== entry.inviteId)
    return `X-Beta-Invite-Id is ${h.inviteId ?? 'missing'}, not ${entry.inviteId}`;
  if (!h.from) return 'no From address';
  // The envelope goes to the To address only: a Cc would not be delivered, a Bcc would
  // show, and a command run with -t would deliver to every one of them. Never sent, even
  // with --accept-edits.
  if (h.extraRecipients.length > 0)
    return `${h.extraRecipients.join(', ')}; send delivers to the one To address only`;
  const to = h.to.map((a) => a.toLowerCase());
  if (to.length !== 1 || to[0] !== entry.email.toLowerCase()) {
    return `To is ${h.to.join(', ') || 'empty'}, not ${entry.email}`;
  }
  return undefined;
}

/** What reading one pending file found. */
export type FileCheck =
  | { kind: 'missing' }
  /** "file (why)". */
  | { kind: 'mismatched'; text: string }
  | { kind: 'ok'; item: SendItem; edited: boolean };

/** Reads one pending file: its sha256 and the headers the envelope comes from. */
export function checkEntry(dir: string, entry: ManifestEntry): FileCheck {
  const file = path.join(dir, entry.file);
  let raw: Buffer;
  try {
    // Synchronous on purpose: for thousands of small files it is several times faster
    // than the promise API (no thread-pool round trip per open, stat, read and close).
    raw = fs.readFileSync(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { kind: 'missing' };
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const h = readInviteHeaders(raw);
  const problem = headerProblem(h, entry);
  if (problem) return { kind: 'mismatched', text: `${entry.file} (${problem})` };
  const digest = sha256(raw);
  const item = {
    inviteId: entry.inviteId,
    email: entry.email,
    file: entry.file,
    path: file,
    sha256: digest,
    from: h.from ?? '',
    to: h.to,
  };
  return { kind: 'ok', item, edited: digest !== entry.sha256 };
}

function checkOne(dir: string, entry: ManifestEntry, into: CheckedFiles): void {
  const found = checkEntry(dir, entry);
  if (found.kind === 'missing') return void into.missing.push(entry.file);
  if (found.kind === 'mismatched') return void into.mismatched.push(found.text);
  if (found.edited) into.edited.push(entry.file);
  into.items.push(found.item);
}

/** Reads every pending file once: its sha256 and the headers the envelope comes from. */
export async function checkFiles(
  dir: string,
  entries: ManifestEntry[],
  signal: AbortSignal,
): Promise<CheckedFiles> {
  const checked: CheckedFiles = { items: [], missing: [], mismatched: [], edited: [] };
  for (let i = 0; i < entries.length; i += CHUNK) {
    signal.throwIfAborted();
    for (const entry of entries.slice(i, i + CHUNK)) checkOne(dir, entry, checked);
    // Let Ctrl-C and timers in between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return checked;
}
