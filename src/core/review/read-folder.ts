import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError, errnoCode } from '../errors.js';
import { OUTDIR } from '../outdir/files.js';
import { readManifest, type ManifestEntry } from '../outdir/manifest.js';

/** The manifest of a folder, with its bytes' sha256 (what an approval is bound to). */
export interface FolderManifest {
  entries: ManifestEntry[];
  sha256: string;
}

/** sha256 of `DIR/manifest.jsonl`, or undefined when there is none. */
export function manifestSha256(dir: string): string | undefined {
  try {
    return createHash('sha256')
      .update(fs.readFileSync(path.join(dir, OUTDIR.manifest)))
      .digest('hex');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function notAFolder(dir: string): UserError {
  return new UserError(`${dir} is not a folder`, {
    hint: 'give the folder beta-invites render wrote (its --out)',
  });
}

/**
 * Reads the manifest and checks, before anything is written, that every .eml it lists
 * is a plain file name in the folder and is there.
 */
export function readFolderManifest(dir: string): FolderManifest {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT')
      throw new UserError(`${dir} does not exist`, {
        hint: 'give the folder beta-invites render wrote (its --out)',
      });
    throw error;
  }
  if (!stat.isDirectory()) throw notAFolder(dir);
  const sha256 = manifestSha256(dir);
  const entries = readManifest(dir);
  const bad = entries.filter((e) => path.basename(e.file) !== e.file || !e.file.endsWith('.eml'));
  if (bad[0]) {
    throw new UserError(
      `${path.join(dir, OUTDIR.manifest)} lists ${JSON.stringify(bad[0].file)}, which is not an .eml file name`,
      {
        hint: 'rerun beta-invites render to rebuild it',
      },
    );
  }
  const missing = entries.filter((e) => !fs.existsSync(path.join(dir, e.file)));
  if (missing[0]) {
    const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
    throw new UserError(
      `${missing.length} .eml file(s) of ${path.join(dir, OUTDIR.manifest)} are missing: ${missing[0].file}${more}`,
      {
        hint: `rerun beta-invites render with --out ${dir} to write them again`,
      },
    );
  }
  return { entries, sha256: sha256 ?? '' };
}
