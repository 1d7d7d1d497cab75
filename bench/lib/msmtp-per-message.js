// Send's historical baseline: the shell script piped each .eml into its own `msmtp`
// process. Measured on a few hundred messages; the rate is what scales.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { log } from './measure.js';
import { run } from './proc.js';

/** Whether an `msmtp` program is on the PATH. */
export async function hasMsmtp() {
  try {
    await run('msmtp', ['--version']);
    return true;
  } catch {
    return false;
  }
}

function firstEntries(dir, n) {
  return fs
    .readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((line) => JSON.parse(line));
}

async function sendEach(dir, entries, sink, from) {
  const started = performance.now();
  for (const { email, file } of entries) {
    const input = fs.readFileSync(path.join(dir, file));
    // -C /dev/null: no user configuration; everything is on the command line.
    const args = ['-C', '/dev/null', '--host=127.0.0.1', `--port=${sink.port}`, '--auth=off'];
    await run('msmtp', [...args, '--tls=off', `--from=${from}`, '--', email], { input });
  }
  return { seconds: (performance.now() - started) / 1000 };
}

/** Timed runs of `n` messages of the folder, one msmtp process each. */
export async function msmtpPerMessage(config, dir, n, sink, from) {
  const entries = firstEntries(dir, n);
  const runs = Math.min(config.runs, 3);
  const samples = [];
  for (let i = -1; i < runs; i++) {
    const before = sink.received();
    const result = await sendEach(dir, i < 0 ? entries.slice(0, 5) : entries, sink, from);
    const expected = i < 0 ? Math.min(5, entries.length) : entries.length;
    if (sink.received() - before !== expected) throw new Error('msmtp: the sink missed messages');
    log(
      `msmtp per message: ${i < 0 ? 'warm-up (5)' : `run ${i + 1}/${runs}`} ${result.seconds.toFixed(2)} s`,
    );
    if (i >= 0) samples.push(result);
  }
  return samples;
}
