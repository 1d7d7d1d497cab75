import path from 'node:path';
import { DamagedLineError, OUTDIR, readJsonLines } from '../outdir/files.js';
import { damagedManifest, manifestEntry, type ManifestEntry } from '../outdir/manifest.js';

/**
 * What an earlier run left in the folder: a rerun into it merges into its manifest,
 * keeping each recipient's file and numbering the new ones after the last.
 */

/** The key a recipient's manifest entry is found by across runs. */
export function recipientKey(email: string, cohort: string): string {
  return `${email.toLowerCase()}\u0000${cohort}`;
}

/** Entries of an earlier run into the same folder (empty for a new folder). */
export function previousManifest(dir: string): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  for (const value of readJsonLines(path.join(dir, OUTDIR.manifest))) {
    const parsed = manifestEntry.safeParse(value);
    if (parsed.success)
      entries.set(recipientKey(parsed.data.email, parsed.data.cohort), parsed.data);
  }
  return entries;
}

/** The manifest this run merges into; a damaged line stops the run, naming it. */
export function readPreviousManifest(plan: {
  file: string;
  out: string;
}): Map<string, ManifestEntry> {
  try {
    return previousManifest(plan.out);
  } catch (error) {
    if (!(error instanceof DamagedLineError)) throw error;
    const render = `beta-invites render ${plan.file} --out ${plan.out}`;
    throw damagedManifest(error.file, error.line, `is not JSON (${error.reason})`, render);
  }
}

/** The next free file number after those of an earlier run. */
export function nextFreeSeq(previous: Map<string, ManifestEntry>): number {
  let max = 0;
  for (const entry of previous.values()) max = Math.max(max, Number.parseInt(entry.file, 10) || 0);
  return max + 1;
}
