import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sql } from 'postgres';
import { OUTDIR } from '../../src/core/outdir/files.js';
import type { ManifestEntry } from '../../src/core/outdir/manifest.js';
import { makeOutdir, type Outdir } from './outdir.js';

/**
 * An output folder with several cohorts, as render leaves it: the recipients of each
 * label in turn, one manifest.jsonl for all of them (in the order given).
 */
export async function makeCohortsOutdir(
  sql: Sql,
  cohorts: Record<string, string[]>,
): Promise<Outdir> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-out-'));
  const entries: ManifestEntry[] = [];
  for (const [cohort, emails] of Object.entries(cohorts)) {
    const part = await makeOutdir({ sql, emails, cohort, dir });
    entries.push(...part.entries);
  }
  fs.writeFileSync(
    path.join(dir, OUTDIR.manifest),
    entries.map((e) => JSON.stringify(e) + '\n').join(''),
  );
  const byEmail = new Map(entries.map((e) => [e.email, path.join(dir, e.file)]));
  return { dir, entries, file: (email) => byEmail.get(email) ?? '' };
}
