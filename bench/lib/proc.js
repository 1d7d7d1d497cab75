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
 * its peak resident set size in kilobytes to the file named by BENCH_RSS_FILE. 'exit'
 * also fires after process.exit(), which is how the binary ends. Written to a scratch
 * file at run time because --require needs CommonJS and the package is ESM.
 */
const PRELOAD = `'use strict';
const fs = require('node:fs');
const file = process.env.BENCH_RSS_FILE;
if (file) {
  // Only the measured process itself: anything it starts must not overwrite the figure.
  delete process.env.BENCH_RSS_FILE;
  process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
`;
let preloadFile;

function preload() {
  if (!preloadFile) {
    preloadFile = path.join(os.tmpdir(), `bench-max-rss-${process.pid}.cjs`);
    fs.writeFileSync(preloadFile, PRELOAD);
    process.once('exit', () => fs.rmSync(preloadFile, { force: true }));
  }
  return preloadFile;
}

/** Variables of the bench's own environment that must not leak into a measured process. */
const STRIPPED = [
  'DATABASE_URL',
  'BETA_INVITES_HOME',
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

/**
 * Runs `command args…` and resolves with `{ seconds, rssMB?, stdout, stderr, code }`.
 * `rss: true` preloads max-rss.cjs (Node children only) and reports the peak RSS.
 * An exit code outside `ok` (default [0]) rejects with the end of stderr.
 */
export async function run(command, args, options = {}) {
  const { env = {}, cwd, rss = false, ok = [0], input } = options;
  let rssFile;
  const extra = { ...env };
  if (rss) {
    rssFile = path.join(
      os.tmpdir(),
      `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    extra.NODE_OPTIONS = `--require ${JSON.stringify(preload())}`;
    extra.BENCH_RSS_FILE = rssFile;
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
  let rssMB;
  if (rssFile) {
    try {
      rssMB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
      fs.rmSync(rssFile);
    } catch {
      rssMB = undefined;
    }
  }
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = tail(err);
  if (!ok.includes(code)) {
    const shown = [command, ...args].map((a) => (a.length > 80 ? a.slice(0, 77) + '...' : a));
    throw new Error(`${shown.join(' ')} exited with ${code}\n${stderr || stdout.slice(-2000)}`);
  }
  return { seconds, rssMB, stdout, stderr, code };
}

/** Runs the real binary: `node bin/beta-invites.js args…`. */
export function runBin(bin, args, options) {
  return run(process.execPath, [bin, ...args], options);
}
