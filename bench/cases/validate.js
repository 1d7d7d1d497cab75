// Case 1, validate-cohort on a large file: rows/s and peak RSS, against the I/O floor
// (reading and splitting the same file line by line in Node).
import process from 'node:process';
import path from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { bin } from '../lib/config.js';
import { cohortFile } from '../lib/cohort-file.js';
import { interleave, peakRss, rate } from '../lib/measure.js';
import { run } from '../lib/proc.js';

const readLines = fileURLToPath(new URL('../lib/read-lines.js', import.meta.url));

export async function validateCase(config, { dir }) {
  const rows = config.n(1_000_000, 1000);
  const file = await cohortFile(dir, rows);
  const samples = await interleave({
    runs: config.runs,
    variants: [
      {
        id: 'floor',
        label: `read lines (${rows} rows)`,
        once: () => run(process.execPath, [readLines, file]),
      },
      {
        id: 'validate',
        label: `validate-cohort (${rows} rows)`,
        once: () => run(process.execPath, [bin, 'validate-cohort', file]),
      },
    ],
  });
  const name = path.basename(file);
  const { floor, validate } = samples;
  const line = rate(
    { id: 'validate', label: `validate-cohort ${name}`, unit: 'rows/s', baseline: 'floor' },
    rows,
    validate,
  );
  const notes = [
    `${rows.toLocaleString('en-US')} rows, whole processes, interleaved with the floor`,
  ];
  if (line.cpu !== undefined) {
    const perCpu = Math.round(rows / line.cpu).toLocaleString('en-US');
    notes.push(`validate-cohort: ${perCpu} rows per second of its own CPU time`);
  }
  return {
    measurements: [
      rate({ id: 'floor', label: 'read + split lines (I/O floor)', unit: 'rows/s' }, rows, floor),
      line,
      peakRss({ id: 'floor-rss', label: 'read + split lines: peak RSS' }, floor),
      peakRss(
        { id: 'validate-rss', label: 'validate-cohort: peak RSS', baseline: 'floor-rss' },
        validate,
      ),
    ],
    targets: [
      { id: 'validate', min: 200_000, text: 'validate-cohort ≥ 200,000 rows/s' },
      { id: 'validate-rss', max: 200, text: 'validate-cohort peak RSS < 200 MB' },
    ],
    notes,
  };
}
