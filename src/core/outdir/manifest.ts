import path from 'node:path';
import { z } from 'zod';
import { UserError, errorMessage } from '../errors.js';
import { DamagedLineError, OUTDIR } from './files.js';
import { readJsonLines } from './json-lines.js';

/** One line of `manifest.jsonl`: one rendered invitation, ready for review and `send`. */
export const manifestEntry = z.object({
  email: z.string(),
  cohort: z.string(),
  inviteId: z.string(),
  code: z.string(),
  expiresAt: z.string(),
  /** The .eml file name, relative to the folder. */
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The line of the cohort file the recipient came from. */
  line: z.number().int(),
  /** True for `render --dry-run` output: preview codes, never to be sent. */
  preview: z.boolean().optional(),
});
export type ManifestEntry = z.infer<typeof manifestEntry>;

/**
 * How to recover from a damaged manifest line: the invite behind it is still in the
 * database, so dropping the line and rendering again reuses it (same code, no new row).
 */
export function damagedManifest(
  file: string,
  line: number,
  reason: string,
  render: string,
): UserError {
  return new UserError(`${file}: line ${line} ${reason}`, {
    hint: `remove or fix line ${line} of ${file}, then rerun ${render}: the invites are reused, not duplicated`,
  });
}

/** Reads and checks `DIR/manifest.jsonl`; `render` is the command that rebuilds it. */
export function readManifest(
  dir: string,
  render = `beta-invites render COHORT.csv --out ${dir}`,
): ManifestEntry[] {
  const file = path.join(dir, OUTDIR.manifest);
  let raw: unknown[];
  try {
    raw = readJsonLines(file);
  } catch (error) {
    if (error instanceof DamagedLineError)
      throw damagedManifest(file, error.line, `is not JSON (${error.reason})`, render);
    throw new UserError(`cannot read ${file}: ${errorMessage(error)}`);
  }
  if (raw.length === 0) {
    throw new UserError(`${file} is missing or empty`, {
      hint: `run beta-invites render first, with --out ${dir}`,
    });
  }
  return raw.map((value, i) => {
    const parsed = manifestEntry.safeParse(value);
    if (!parsed.success) throw damagedManifest(file, i + 1, 'is not a manifest entry', render);
    return parsed.data;
  });
}
