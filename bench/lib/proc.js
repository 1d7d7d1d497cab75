// Runs one child process and times it from spawn to exit, as a user would see it.
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Preloaded into a measured Node process (NODE_OPTIONS=--require …): on exit, it writes
 * its peak resident set size (KB) and CPU time (µs, user + system, all its threads) to
 * the file named by BENCH_USAGE_FILE. 'exit' also fires after process.exit(), which is
 * how the binary ends. Written to a scratch file at run time because --require needs
 * CommonJS and the package is ESM.
 */
const PRELOAD = `'use strict';
const fs = require('node:fs');
const file = process.env.BENCH_USAGE_FILE;
if (file) {
  // Only the measured process itself: anything it starts must not overwrite the figures.
  delete process.env.BENCH_USAGE_FILE;
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, cpu: u.userCPUTime + u.systemCPUTime }));
  });
}
`;
let preloadFile;

function preload() {
  if (!preloadFile) {
    preloadFile = path.join(os.tmpdir(), `bench-usage-${process.pid}.cjs`);
    fs.writeFileSync(preloadFile, PRELOAD);
    process.once('exit', () => fs.rmSync(preloadFile, { force: true }));
  }
  return preloadFile;
}

/** Variables of the bench's own environment that must not leak into a measured process. */
const STRIPPED = [
  'DATABASE_URL',
  'BETA_INVITES_HOME',
  'BETA_INVITES_EMBEDDED',
  'TEST_DATABASE_URL',
  'NODE_OPTIONS',
  'FORCE',
  'SEND',
  'SEND_CMD',
  'SMTP_URL',
  'DEBUG',
];

function childEnv(extra) {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const name of STRIPPED) delete env[name];
  // libpq variables would point the binary at a server, as they do psql.
  for (const name of Object.keys(env)) if (/^PG[A-Z]/.test(name)) delete env[name];
  return { ...env, ...extra };
}

/** Keeps the first megabyte of a stream: enough for messages, bounded for chatty runs. */
function collect(stream, chunks) {
  let size = 0;
  stream.on('data', (chunk) => {
    if (size < 1 << 20) chunks.push(chunk);
    size += chunk.length;
  });
}

function tail(chunks) {
  return Buffer.concat(chunks).toString('utf8').slice(-4000);
}

/** Reads what the preload wrote: `{ rssMB, cpuSeconds }`, or nothing if it wrote nothing. */
function readUsage(file) {
  try {
    const { maxRSS, cpu } = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.rmSync(file);
    return { rssMB: maxRSS / 1024, cpuSeconds: cpu / 1e6 };
  } catch {
    return {};
  }
}

/**
 * Runs `command args…` and resolves with `{ seconds, rssMB?, cpuSeconds?, stdout,
 * stderr, code }`. For a Node child, `usage` (default true) preloads the usage probe for
 * the peak RSS and CPU time; start-up timings turn it off. An exit code outside `ok`
 * (default [0]) rejects with the end of stderr.
 */
export async function run(command, args, options = {}) {
  const { env = {}, cwd, ok = [0], input } = options;
  const usage = (options.usage ?? true) && command === process.execPath;
  let usageFile;
  const extra = { ...env };
  if (usage) {
    const tag = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    usageFile = path.join(os.tmpdir(), `bench-usage-${tag}.json`);
    extra.NODE_OPTIONS = `--require ${JSON.stringify(preload())}`;
    extra.BENCH_USAGE_FILE = usageFile;
  }
  const out = [];
  const err = [];
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    env: childEnv(extra),
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin.end(input);
  collect(child.stdout, out);
  collect(child.stderr, err);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve(status ?? signal));
  });
  const seconds = (performance.now() - started) / 1000;
  const { rssMB, cpuSeconds } = usageFile ? readUsage(usageFile) : {};
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = tail(err);
  if (!ok.includes(code)) {
    const shown = [command, ...args].map((a) => (a.length > 80 ? a.slice(0, 77) + '...' : a));
    throw new Error(`${shown.join(' ')} exited with ${code}\n${stderr || stdout.slice(-2000)}`);
  }
  return { seconds, rssMB, cpuSeconds, stdout, stderr, code };
}

/** Runs the real binary: `node bin/beta-invites.js args…`. */
export function runBin(bin, args, options) {
  return run(process.execPath, [bin, ...args], options);
}
