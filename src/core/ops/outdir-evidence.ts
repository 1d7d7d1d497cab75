import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { OUTDIR } from '../outdir/files.js';
import { readJsonLines } from '../outdir/json-lines.js';
import { readManifest, type ManifestEntry } from '../outdir/manifest.js';

/** What an output folder holds about one invite: its .eml, manifest line and ledger lines. */
export interface OutDirEvidence {
  manifest: ManifestEntry | null;
  /** The .eml file (path relative to the current directory), if the manifest names one. */
  eml: { path: string; exists: boolean; matchesManifest: boolean | null } | null;
  /** Lines of `sent.jsonl` for this invite, as written (unknown fields kept). */
  sent: Record<string, unknown>[];
  /** Lines of `send-failed.jsonl` for this invite. */
  sendFailed: Record<string, unknown>[];
}

function readLedger(file: string): Record<string, unknown>[] {
  try {
    return readJsonLines(file).filter(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
  } catch {
    throw new UserError(`${file} is damaged (a line in the middle is not JSON)`, {
      hint: 'inspect it; show reads it and changes nothing',
    });
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function manifestOf(dir: string): ManifestEntry[] {
  try {
    return readManifest(dir);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(error.message, {
      hint: '--out takes a folder written by beta-invites render',
    });
  }
}

/**
 * Reads `DIR/manifest.jsonl`, `sent.jsonl` and `send-failed.jsonl` once and returns a
 * lookup by invite id. Ledger lines are matched on their `inviteId` field only, so lines
 * with more fields (or from a newer version) are shown as they are.
 */
export function readOutDir(dir: string, cwd: string): (inviteId: string) => OutDirEvidence {
  const manifest = new Map(manifestOf(dir).map((e) => [e.inviteId, e]));
  const sent = readLedger(path.join(dir, OUTDIR.sent));
  const failed = readLedger(path.join(dir, OUTDIR.sendFailed));
  return (inviteId) => {
    const entry = manifest.get(inviteId) ?? null;
    let eml: OutDirEvidence['eml'] = null;
    if (entry) {
      const file = path.join(dir, entry.file);
      const exists = fs.existsSync(file);
      eml = {
        path: path.relative(cwd, file) || file,
        exists,
        matchesManifest: exists ? sha256(file) === entry.sha256 : null,
      };
    }
    return {
      manifest: entry,
      eml,
      sent: sent.filter((l) => l.inviteId === inviteId),
      sendFailed: failed.filter((l) => l.inviteId === inviteId),
    };
  };
}
