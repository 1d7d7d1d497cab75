// Case 2, render: invites + one .eml per recipient, against (a) one psql process per
// recipient (the shell script's way; server only), (b) the database floor (multi-row
// INSERTs of 1,000, no rendering) and (c) `render --dry-run` (same validation, composer
// and files, no database). Every run starts from an empty table and an empty folder.
import process from 'node:process';
import fs from 'node:fs';
import path from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { bin } from '../lib/config.js';
import { cohortFile } from '../lib/cohort-file.js';
import { interleave, rate } from '../lib/measure.js';
import { run, runBin } from '../lib/proc.js';
import { hasPsql, psqlPerRow } from '../lib/psql-per-row.js';

const dbTask = fileURLToPath(new URL('../lib/db-task.js', import.meta.url));

/** The sender settings render needs (those of the tests). */
export const senderEnv = {
  INVITE_SIGNUP_URL: 'https://beta.example.org/inscription',
  INVITE_FEEDBACK_URL: 'https://forms.example.org/retours',
  INVITE_FROM: "L'équipe bêta <beta@example.org>",
};

function emlCount(out) {
  return fs.readdirSync(out).filter((f) => f.endsWith('.eml')).length;
}

/** Runs render into `out` and checks that every recipient got a file. */
export async function renderInto(input, out, env, extra = []) {
  const result = await runBin(bin, ['render', input.file, '--out', out, ...extra], { env });
  const files = emlCount(out);
  if (files !== input.rows)
    throw new Error(`render wrote ${files} .eml files for ${input.rows} rows`);
  return result;
}

/** The three ways of doing the work; the warm-up runs them on a small cohort. */
function variants(db, dir, inputs) {
  let n = 0;
  const fresh = async (warm, database) => ({
    input: warm ? inputs.warm : inputs.full,
    out: path.join(dir, `render-out-${++n}`),
    target: database ? await db.fresh() : undefined,
  });
  // The output folders stay until the end of the bench (see run.js).
  const cleanup = async (state) => {
    await state.target?.drop();
  };
  const { full } = inputs;
  return [
    {
      id: 'floor',
      label: `insert floor (${full.rows} rows)`,
      prepare: (warm) => fresh(warm, true),
      once: ({ input, target }) =>
        run(process.execPath, [dbTask, 'insert-floor', input.file], { env: target.env }),
      cleanup,
    },
    {
      id: 'dry-run',
      label: `render --dry-run (${full.rows} rows)`,
      prepare: (warm) => fresh(warm, false),
      once: ({ input, out }) => renderInto(input, out, senderEnv, ['--dry-run']),
      cleanup,
    },
    {
      id: 'render',
      label: `render (${full.rows} rows)`,
      prepare: (warm) => fresh(warm, true),
      once: ({ input, out, target }) => renderInto(input, out, { ...target.env, ...senderEnv }),
      cleanup,
    },
  ];
}

async function psqlBaseline(config, db, file, notes) {
  if (db.kind !== 'server') {
    notes.push('no psql baseline on the embedded database: the shell script needed a server');
    return undefined;
  }
  if (!(await hasPsql())) {
    notes.push('no psql baseline: psql is not on the PATH');
    return undefined;
  }
  const n = config.n(500, 20);
  const samples = await psqlPerRow(config, db, file, n);
  const label = `psql -c INSERT, one process per recipient (${n} rows)`;
  return rate({ id: 'psql', label, unit: 'recipients/s' }, n, samples);
}

export async function renderCase(config, { dir, db }) {
  const rows = config.n(100_000, 200);
  const warmRows = Math.min(rows, 2000);
  const inputs = {
    full: { rows, file: await cohortFile(dir, rows) },
    warm: { rows: warmRows, file: await cohortFile(dir, warmRows) },
  };
  const samples = await interleave({ runs: config.runs, variants: variants(db, dir, inputs) });
  const notes = [
    `${rows.toLocaleString('en-US')} recipients; floor, dry run and render interleaved, ` +
      `each from an empty table and folder; warm-up on ${warmRows.toLocaleString('en-US')}`,
  ];
  const psql = await psqlBaseline(config, db, inputs.full.file, notes);
  const targets = [
    ...(psql
      ? [{ id: 'render', vs: 'psql', min: 100, text: 'render ≥ 100× psql per recipient' }]
      : []),
    { id: 'render', vs: 'dry-run', min: 0.7, text: 'render ≥ 0.7× render --dry-run' },
  ];
  const unit = 'recipients/s';
  const measurements = [
    ...(psql ? [psql] : []),
    rate(
      { id: 'floor', label: 'multi-row INSERTs of 1,000, no rendering', unit },
      rows,
      samples.floor,
    ),
    rate(
      { id: 'dry-run', label: 'render --dry-run (no database)', unit },
      rows,
      samples['dry-run'],
    ),
    rate(
      {
        id: 'render',
        label: 'render (invites + .eml)',
        unit,
        baseline: ['psql', 'floor', 'dry-run'],
      },
      rows,
      samples.render,
    ),
  ];
  return { measurements, targets, notes };
}
