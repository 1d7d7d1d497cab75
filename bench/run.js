#!/usr/bin/env node
// beta-invites benchmarks: `npm run bench` (builds first). Each case measures whole
// processes of the real binary against a baseline measured in the same run, prints a
// Markdown table and writes bench/results/latest.json. See bench/README.md.
import process from 'node:process';
import console from 'node:console';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryCase } from './cases/memory.js';
import { reportCase } from './cases/report.js';
import { renderCase } from './cases/render.js';
import { sendCase } from './cases/send.js';
import { startupCase } from './cases/startup.js';
import { validateCase } from './cases/validate.js';
import { readConfig, root } from './lib/config.js';
import { openBenchDatabase } from './lib/database.js';
import { addRatios, evaluateTargets, renderTable } from './lib/table.js';

const CASES = {
  startup: startupCase,
  validate: validateCase,
  render: renderCase,
  send: sendCase,
  report: reportCase,
  memory: memoryCase,
};
const NEEDS_DATABASE = new Set(['render', 'send', 'report', 'memory']);

const config = readConfig();
// Everything a case writes (cohorts, render folders, copies to send) stays under `dir`
// until the end: on ext4, creating files within minutes of deleting many others makes
// the kernel scan the recently freed inodes on every create (a render after deleting the
// previous run's 100,000 files spent most of its time there), which is no cost of the tool.
const dir = fs.mkdtempSync(path.join(config.work, 'beta-invites-bench-'));
let db;

async function cleanUp() {
  await db
    ?.close()
    .catch((error) => console.error(`could not drop the bench databases: ${error.message}`));
  fs.rmSync(dir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\ninterrupted by ${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const started = new Date();
const results = {};
try {
  if (config.cases.some((name) => NEEDS_DATABASE.has(name))) db = await openBenchDatabase(config);
  const where = db ? db.label : 'none needed';
  console.error(`database: ${where}; scale ${config.scale}; ${config.runs} runs after a warm-up`);
  for (const name of config.cases) {
    console.error(`\n${name}:`);
    const result = await CASES[name](config, { dir, db });
    addRatios(result);
    result.evaluated = evaluateTargets(result);
    results[name] = result;
  }
} finally {
  await cleanUp();
}

const heading =
  `beta-invites bench, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC; ` +
  `database: ${db ? db.label : 'none needed'}; scale ${config.scale}; ` +
  `median of ${config.runs} runs after a warm-up; files under ${config.work}; ` +
  `Node ${process.version}; ` +
  `${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`;
console.log(`\n${heading}\n\n${renderTable(results)}`);

const json = {
  date: started.toISOString(),
  database: db ? { kind: db.kind, label: db.label } : null,
  scale: config.scale,
  runs: config.runs,
  files: config.work,
  node: process.version,
  cpus: os.cpus().length,
  loadAverage: os.loadavg(),
  cases: Object.fromEntries(
    Object.entries(results).map(([name, r]) => [
      name,
      { measurements: r.measurements, targets: r.evaluated, notes: r.notes ?? [] },
    ]),
  ),
};
const out = path.join(root, 'bench', 'results', 'latest.json');
fs.writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
const missed = Object.values(results).flatMap((r) => r.evaluated.filter((t) => t.ok === false));
if (missed.length > 0) console.log(`${missed.length} target(s) missed`);
