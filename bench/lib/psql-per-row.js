// Render's historical baseline: the shell script started one `psql -c "INSERT …"` process
// per recipient. Measured on a few hundred rows; the rate is what scales.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import { generateCode } from '../../dist/core/render/codes.js';
import { log } from './measure.js';
import { run } from './proc.js';

const literal = (text) => `'${text.replaceAll("'", "''")}'`;

function firstRows(file, n) {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1, n + 1);
  return lines.map((line) => {
    const [email, cohort] = line.split(',', 2);
    return { email, cohort };
  });
}

async function insertEach(url, rows) {
  const started = performance.now();
  for (const { email, cohort } of rows) {
    const insert =
      'INSERT INTO public.beta_invites (code, email, cohort) VALUES ' +
      `(${literal(generateCode())}, ${literal(email)}, ${literal(cohort)}) RETURNING code`;
    await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', insert]);
  }
  return { seconds: (performance.now() - started) / 1000 };
}

/** Whether a `psql` client is on the PATH. */
export async function hasPsql() {
  try {
    await run('psql', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Timed runs of `n` rows, one psql process each, into a fresh database per run. */
export async function psqlPerRow(config, db, file, n) {
  const rows = firstRows(file, n);
  const runs = Math.min(config.runs, 3);
  const samples = [];
  for (let i = -1; i < runs; i++) {
    const target = await db.fresh();
    try {
      const result = await insertEach(target.url, i < 0 ? rows.slice(0, 5) : rows);
      log(
        `psql per row: ${i < 0 ? 'warm-up (5 rows)' : `run ${i + 1}/${runs}`} ${result.seconds.toFixed(2)} s`,
      );
      if (i >= 0) samples.push(result);
    } finally {
      await target.drop();
    }
  }
  return samples;
}
