// Case 2, render: invites + one .eml per recipient, against (a) one psql process per
// recipient (the shell script's way; server only), (b) the database floor (multi-row
// INSERTs of 1,000, no rendering), (c) `render --dry-run` (same validation, composer
// and files, no database) and (d) the render of the release before the direct MIME
// builder and worker threads (commit BEFORE, built once into the work folder), on the
// same data in the same run. Every run starts from an empty table and an empty folder.
import process from 'node:process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { baselineBin } from '../lib/baseline-build.js';
import { bin } from '../lib/config.js';
import { cohortFile } from '../lib/cohort-file.js';
import { interleave, rate } from '../lib/measure.js';
import { run, runBin } from '../lib/proc.js';
import { hasPsql, psqlPerRow } from '../lib/psql-per-row.js';

const dbTask = fileURLToPath(new URL('../lib/db-task.js', import.meta.url));

/** The release render is compared with: one MailComposer per recipient, one thread. */
const BEFORE = '753a9f5';

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
export async function renderInto(input, out, env, extra = [], binary = bin) {
  const result = await runBin(binary, ['render', input.file, '--out', out, ...extra], { env });
  const files = emlCount(out);
  if (files !== input.rows)
    throw new Error(`render wrote ${files} .eml files for ${input.rows} rows`);
  return result;
}

/** The ways of doing the work; the warm-up runs them on a small cohort. */
function variants(db, dir, inputs, before) {
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
    ...(before
      ? [
          {
            id: 'before',
            label: `render of ${BEFORE} (${full.rows} rows)`,
            prepare: (warm) => fresh(warm, true),
            once: ({ input, out, target }) =>
              renderInto(input, out, { ...target.env, ...senderEnv }, [], before),
            cleanup,
          },
        ]
      : []),
  ];
}

/** The binary of BEFORE, or undefined (with a note) where it cannot be built. */
function beforeBin(config, notes) {
  try {
    return baselineBin(config.work, BEFORE);
  } catch (error) {
    notes.push(`no ${BEFORE} baseline: ${error.message.split('\n')[0]}`);
    return undefined;
  }
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
  const notes = [];
  const before = beforeBin(config, notes);
  const samples = await interleave({
    runs: config.runs,
    variants: variants(db, dir, inputs, before),
  });
  notes.unshift(
    `${rows.toLocaleString('en-US')} recipients; floor, dry run, render` +
      `${before ? ` and ${BEFORE}'s render` : ''} interleaved, each from an empty table and ` +
      `folder; warm-up on ${warmRows.toLocaleString('en-US')}; ${os.availableParallelism()} ` +
      `cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
  );
  const psql = await psqlBaseline(config, db, inputs.full.file, notes);
  const targets = [
    ...(psql
      ? [{ id: 'render', vs: 'psql', min: 100, text: 'render ≥ 100× psql per recipient' }]
      : []),
    ...(before
      ? [{ id: 'render', vs: 'before', min: 1.6, text: `render ≥ 1.6× ${BEFORE}'s render` }]
      : []),
    { id: 'render', vs: 'dry-run', min: 0.8, text: 'render ≥ 0.8× render --dry-run' },
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
    ...(before
      ? [
          rate(
            { id: 'before', label: `render of ${BEFORE} (MailComposer, one thread)`, unit },
            rows,
            samples.before,
          ),
        ]
      : []),
    rate(
      {
        id: 'render',
        label: 'render (invites + .eml)',
        unit,
        baseline: ['psql', 'floor', 'dry-run', ...(before ? ['before'] : [])],
      },
      rows,
      samples.render,
    ),
  ];
  return { measurements, targets, notes };
}
