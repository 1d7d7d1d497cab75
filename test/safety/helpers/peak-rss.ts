import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A tiny CommonJS file, loaded into a child with `NODE_OPTIONS=--require`, that writes
 * the process's peak resident set size (kB, from getrusage) to `$BI_MAXRSS_DIR/<pid>`
 * when it exits. Written at run time so that it stays plain CommonJS.
 */
const HOOK = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.BI_MAXRSS_DIR;
if (dir) {
  process.on('exit', () => {
    fs.writeFileSync(path.join(dir, String(process.pid)), String(process.resourceUsage().maxRSS));
  });
}
`;

/** Measures the peak memory of the processes started with `env`. */
export interface PeakRss {
  /** To add to a child's environment. */
  env: Record<string, string>;
  /** The largest peak RSS (MB) among the processes that exited since the last call. */
  take(): number;
  remove(): void;
}

export function peakRss(): PeakRss {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-rss-'));
  const hook = path.join(dir, 'max-rss.cjs');
  fs.writeFileSync(hook, HOOK);
  const results = path.join(dir, 'results');
  fs.mkdirSync(results);
  return {
    env: { NODE_OPTIONS: `--require ${hook}`, BI_MAXRSS_DIR: results },
    take: () => {
      const kb = fs.readdirSync(results).map((name) => {
        const file = path.join(results, name);
        const value = Number(fs.readFileSync(file, 'utf8'));
        fs.rmSync(file);
        return value;
      });
      if (kb.length === 0) throw new Error('no process reported its peak RSS');
      return Math.round(Math.max(...kb) / 1024);
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
