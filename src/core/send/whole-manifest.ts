import fs from 'node:fs';
import { UserError } from '../errors.js';
import { readManifest, type ManifestEntry } from '../outdir/manifest.js';
import { list } from './refusals.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the folder's whole manifest (for a rehearsal's few messages), refusing previews,
 * duplicates and broken entries.
 */
export function loadManifest(dir: string): ManifestEntry[] {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`${dir} is not a folder`, {
      hint: 'pass the folder beta-invites render wrote (its --out)',
    });
  }
  const entries = readManifest(dir);
  if (entries.some((e) => e.preview === true)) {
    throw new UserError(
      `${dir} was rendered with --dry-run: its codes are previews, not invitations`,
      {
        hint: `render it for real (beta-invites render COHORT.csv --out ${dir}), review it, then send`,
      },
    );
  }
  const bad = entries.filter((e) => !UUID.test(e.inviteId)).map((e) => e.file);
  if (bad.length > 0)
    throw new UserError(`manifest.jsonl has invite ids that are not UUIDs: ${list(bad)}`, {
      hint: 'rerun beta-invites render',
    });
  const seen = new Map<string, string>();
  for (const e of entries) {
    for (const key of [e.inviteId, e.email.toLowerCase()]) {
      const first = seen.get(key);
      if (first !== undefined) {
        throw new UserError(`manifest.jsonl lists ${key} twice (${first} and ${e.file})`, {
          hint: 'rerun beta-invites render',
        });
      }
      seen.set(key, e.file);
    }
  }
  return entries;
}
