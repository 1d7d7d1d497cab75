// The bench's settings, read from the environment once.
import process from 'node:process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(root, 'bin', 'beta-invites.js');

const ALL_CASES = ['startup', 'validate', 'render', 'send', 'report', 'memory'];

function positive(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function selectedCases() {
  const raw = process.env.BENCH_ONLY;
  if (!raw) return ALL_CASES;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !ALL_CASES.includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY: unknown case ${unknown.join(', ')} (cases: ${ALL_CASES.join(', ')})`,
    );
  }
  return ALL_CASES.filter((n) => names.includes(n));
}

/** Everything a case needs to know about this run. */
export function readConfig() {
  const scale = positive('BENCH_SCALE', 1);
  return {
    scale,
    /** Timed runs per measurement, after one warm-up. */
    runs: Math.round(positive('BENCH_RUNS', 3)),
    cases: selectedCases(),
    serverUrl: process.env.BENCH_DATABASE_URL || undefined,
    work: process.env.BENCH_TMPDIR || os.tmpdir(),
    /** `n` scaled, never below `min`. */
    n: (full, min = 10) => Math.max(min, Math.round(full * scale)),
  };
}
