// Cohort CSV files for the cases, generated once per size and reused within a run.
import fs from 'node:fs';
import path from 'node:path';
import { generateCohort } from '../../fixtures/generate-cohort.js';

/** Writes (once) a valid cohort of `n` rows under `dir` and returns its path. */
export async function cohortFile(dir, n) {
  const file = path.join(dir, `cohort-${n}.csv`);
  if (fs.existsSync(file)) return file;
  const partial = `${file}.part`;
  const stream = fs.createWriteStream(partial);
  await generateCohort(n, stream);
  await new Promise((resolve, reject) =>
    stream.end((error) => (error ? reject(error) : resolve())),
  );
  fs.renameSync(partial, file);
  return file;
}
