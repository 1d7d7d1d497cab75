// Repeats a measurement after a warm-up and turns the samples into a result line.
import process from 'node:process';

/** Median, min and max of a non-empty list of numbers. */
export function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** One progress line on stderr, so a long run shows it is alive. */
export function log(message) {
  process.stderr.write(`  ${message}\n`);
}

async function once(variant, i, warmup, runs) {
  const state = variant.prepare ? await variant.prepare(i < warmup) : undefined;
  try {
    const result = await variant.once(state);
    const tag = i < warmup ? 'warm-up' : `run ${i - warmup + 1}/${runs}`;
    const cpu = result.cpuSeconds === undefined ? '' : ` (CPU ${result.cpuSeconds.toFixed(2)} s)`;
    const rss = result.rssMB === undefined ? '' : `, ${Math.round(result.rssMB)} MB`;
    log(`${variant.label}: ${tag} ${result.seconds.toFixed(2)} s${cpu}${rss}`);
    return result;
  } finally {
    if (variant.cleanup) await variant.cleanup(state);
  }
}

/**
 * Runs each variant `warmup + runs` times, interleaved (a, b, c, a, b, c, …) so that a
 * case and its baselines see the same load on a shared machine, and keeps the timed
 * results (`{ seconds, rssMB? }`) by variant id. `prepare(warm)` and `cleanup(state)` run
 * around each `once(state)`, untimed: a fresh database, an empty folder; `warm` is true
 * for the warm-up, which a costly case may run on a smaller input.
 */
export async function interleave({ runs, warmup = 1, variants }) {
  const kept = Object.fromEntries(variants.map((v) => [v.id, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const variant of variants) {
      const result = await once(variant, i, warmup, runs);
      if (i >= warmup) kept[variant.id].push(result);
    }
  }
  return kept;
}

/** The fields of a result line; `cpu` is the median CPU time of the process, if known. */
function line(fields, values, samples) {
  const cpu = samples.map((s) => s.cpuSeconds).filter((c) => c !== undefined);
  return {
    ...fields,
    values,
    ...spread(values),
    ...(cpu.length === samples.length ? { cpuSeconds: cpu, cpu: spread(cpu).median } : {}),
  };
}

/** A throughput: `items` per second of each sample (`unit` e.g. "rows/s"). */
export function rate(fields, items, samples) {
  return line(
    { ...fields, items, seconds: samples.map((s) => s.seconds) },
    samples.map((s) => items / s.seconds),
    samples,
  );
}

/** A duration in seconds. */
export function time(fields, samples) {
  return line(
    { ...fields, unit: 's' },
    samples.map((s) => s.seconds),
    samples,
  );
}

/** Peak resident set size in MB. */
export function peakRss(fields, samples) {
  return {
    ...fields,
    unit: 'MB',
    values: samples.map((s) => s.rssMB),
    ...spread(samples.map((s) => s.rssMB)),
  };
}
