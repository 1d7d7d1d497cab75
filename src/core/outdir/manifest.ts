import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { OUTDIR, readJsonLines } from './files.js';

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

/** Reads and checks `DIR/manifest.jsonl`. */
export function readManifest(dir: string): ManifestEntry[] {
  const file = path.join(dir, OUTDIR.manifest);
  let raw: unknown[];
  try {
    raw = readJsonLines(file);
  } catch {
    throw new UserError(`${file} is not valid JSON lines`, {
      hint: 'rerun beta-invites render to rebuild it',
    });
  }
  if (raw.length === 0) {
    throw new UserError(`${file} is missing or empty`, {
      hint: `run beta-invites render first, with --out ${dir}`,
    });
  }
  return raw.map((value, i) => {
    const parsed = manifestEntry.safeParse(value);
    if (!parsed.success) {
      throw new UserError(`${file}: line ${i + 1} is not a manifest entry`, {
        hint: 'rerun beta-invites render to rebuild it',
      });
    }
    return parsed.data;
  });
}
