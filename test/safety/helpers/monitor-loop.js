// Drives the real `monitor --watch` loop (runWatch from dist/, the code the binary runs)
// with an interval of a few ms, which the command's --interval (whole seconds ≥ 1) cannot
// ask for: `node --expose-gc monitor-loop.js CONFIG CYCLES GATES [HOOK…]`, in the
// environment of the binary (DATABASE_URL or BETA_INVITES_HOME, tokens; LOOP_INTERVAL_MS,
// default 1).
// After a warm-up, half-way and at the end it samples, after collecting garbage, the
// heap, the RSS and the open file descriptors (/proc/self/fd): the least of each over
// the last 5 cycles before each point. With an interval above 1 ms each sample is taken
// half-way through the pause after its cycle: an embedded database closed by the cycle
// stays referenced for a few ms after its close resolves, and sampled at once it would
// be taken for growth. It prints them as one JSON document on stdout and exits.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { Writable } from 'node:stream';
import { URL } from 'node:url';

const dist = new URL('../../../dist/', import.meta.url);
const { readSettings } = await import(new URL('core/config.js', dist).href);
const { createOutput } = await import(new URL('core/output.js', dist).href);
const { loadMonitorConfig } = await import(new URL('core/monitor/config.js', dist).href);
const { runWatch } = await import(new URL('commands/monitor/watch.js', dist).href);

const [configFile, cyclesText, gateList, ...hook] = process.argv.slice(2);
const cycles = Number(cyclesText);
const WINDOW = 5;
const intervalMs = Number(process.env.LOOP_INTERVAL_MS || 1);
const settleMs = intervalMs > 1 ? Math.floor(intervalMs / 2) : 0;
/** Samples still to be taken when the loop stops. */
const pending = [];
const warmUp = Math.max(WINDOW, Math.min(20, Math.floor(cycles / 10)));
const controller = new globalThis.AbortController();

function sample() {
  globalThis.gc?.();
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return {
    heapMB: +(heapUsed / 2 ** 20).toFixed(1),
    rssMB: +(rss / 2 ** 20).toFixed(1),
    fds: fs.readdirSync('/proc/self/fd').length,
  };
}

const seen = { cycles: 0, verdicts: {}, lastLine: '' };
const points = { start: warmUp, half: Math.floor(cycles / 2), end: cycles };
const samples = {};

const inWindow = (cycle, at) => cycle > at - WINDOW && cycle <= at;

/** Keeps the least of each measure over the cycles just before a point. */
function take(cycle) {
  for (const [name, at] of Object.entries(points)) {
    if (!inWindow(cycle, at)) continue;
    const now = sample();
    const was = samples[name] ?? now;
    samples[name] = {
      heapMB: Math.min(was.heapMB, now.heapMB),
      rssMB: Math.min(was.rssMB, now.rssMB),
      fds: Math.min(was.fds, now.fds),
    };
  }
}

// The log view prints one verdict line per cycle: count them, and stop after the last.
const stdout = new Writable({
  write(chunk, _encoding, done) {
    for (const line of chunk.toString().split('\n')) {
      const verdict = / (GO|NO-GO|INCOMPLETE)( \(was [A-Z-]+\))?: /.exec(line)?.[1];
      if (!verdict) continue;
      seen.cycles++;
      seen.verdicts[verdict] = (seen.verdicts[verdict] ?? 0) + 1;
      seen.lastLine = line;
      const cycle = seen.cycles;
      if (settleMs === 0) take(cycle);
      else if (Object.values(points).some((at) => inWindow(cycle, at))) {
        pending.push(
          new Promise((resolve) => setTimeout(resolve, settleMs)).then(() => take(cycle)),
        );
      }
      if (seen.cycles === cycles) controller.abort(new Error('done'));
    }
    done();
  },
});
const notices = [];
const stderr = new Writable({
  write(chunk, _encoding, done) {
    if (notices.length < 20) notices.push(chunk.toString().trim());
    done();
  },
});

const settings = readSettings(process.env, process.cwd());
const ctx = {
  settings,
  out: createOutput({ stdout, stderr }),
  cwd: process.cwd(),
  clock: () => new Date(),
  signal: controller.signal,
  db: () => Promise.reject(new Error('the loop opens its own database')),
  debug: false,
};
const config = await loadMonitorConfig(configFile, process.cwd());
const started = performance.now();
const result = await runWatch(
  config,
  gateList.split(','),
  {
    intervalMs,
    failAfter: 1,
    passAfter: 1,
    hook: hook.length > 0 ? hook : undefined,
    json: false,
  },
  ctx,
);
await Promise.all(pending);
process.stdout.write(
  JSON.stringify({
    cycles: result.cycles,
    elapsedMs: Math.round(performance.now() - started),
    warmUp,
    ...samples,
    verdicts: seen.verdicts,
    lastLine: seen.lastLine,
    notices,
  }) + '\n',
);
