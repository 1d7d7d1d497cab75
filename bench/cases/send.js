// Case 3, send: the .eml files of a real render to a local SMTP sink, at --concurrency 1,
// 8 (the default) and 16, against one msmtp process per message (the shell script's way),
// a bare nodemailer pool (the floor of the targets: no ledger, no database) and bare
// SMTPConnections (what send is built on, also without ledger or database), in the same
// run. Every send run starts from a copy of the rendered folder and database, so that
// every message is pending.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { bin } from '../lib/config.js';
import { cohortFile } from '../lib/cohort-file.js';
import { interleave, log, rate } from '../lib/measure.js';
import { hasMsmtp, msmtpPerMessage } from '../lib/msmtp-per-message.js';
import { run, runBin } from '../lib/proc.js';
import { startSmtpSink } from '../lib/smtp-sink.js';
import { renderInto, senderEnv } from './render.js';

const barePool = fileURLToPath(new URL('../lib/bare-pool.js', import.meta.url));
const bareConnections = fileURLToPath(new URL('../lib/bare-connections.js', import.meta.url));
const FROM = 'beta@example.org';
const CONCURRENCY = [1, 8, 16];

/** A real render of `rows` recipients into a fresh database, kept as the runs' source. */
async function rendered(db, dir, rows) {
  const file = await cohortFile(dir, rows);
  const target = await db.fresh();
  const out = path.join(dir, `send-source-${rows}`);
  const { seconds } = await renderInto({ file, rows }, out, { ...target.env, ...senderEnv });
  log(`rendered ${rows} invitations to send in ${seconds.toFixed(1)} s`);
  return { rows, target, out };
}

/** Checks that the sink received exactly the folder's messages during `work`. */
async function counted(sink, rows, work) {
  const before = sink.received();
  const result = await work();
  const got = sink.received() - before;
  if (got !== rows) throw new Error(`the sink received ${got} messages, not ${rows}`);
  return result;
}

function variants(db, dir, sources, sink) {
  let n = 0;
  const sendVariant = (c) => ({
    id: `c${c}`,
    label: `send --concurrency ${c} (${sources.full.rows} messages)`,
    async prepare(warm) {
      const source = warm ? sources.warm : sources.full;
      const out = path.join(dir, `send-run-${++n}`);
      fs.cpSync(source.out, out, { recursive: true });
      return { source, out, target: await db.clone(source.target) };
    },
    once: ({ source, out, target }) =>
      counted(sink, source.rows, () =>
        runBin(bin, ['send', out, '--confirm', '--smtp', sink.url, '--concurrency', String(c)], {
          env: target.env,
        }),
      ),
    // The folder stays until the end of the bench (see run.js).
    cleanup: ({ target }) => target.drop(),
  });
  return [
    {
      id: 'pool',
      label: `bare nodemailer pool (${sources.full.rows} messages)`,
      prepare: (warm) => (warm ? sources.warm : sources.full),
      once: (source) =>
        counted(sink, source.rows, () =>
          run(process.execPath, [barePool, source.out, sink.url, FROM]),
        ),
    },
    {
      id: 'connections',
      label: `bare SMTPConnection (${sources.full.rows} messages)`,
      prepare: (warm) => (warm ? sources.warm : sources.full),
      once: (source) =>
        counted(sink, source.rows, () =>
          run(process.execPath, [bareConnections, source.out, sink.url, FROM]),
        ),
    },
    ...CONCURRENCY.map(sendVariant),
  ];
}

async function msmtpBaseline(config, source, sink, notes) {
  if (!(await hasMsmtp())) {
    notes.push('no msmtp baseline: msmtp is not on the PATH');
    return undefined;
  }
  const n = config.n(500, 20);
  const samples = await msmtpPerMessage(config, source.out, n, sink, FROM);
  return rate(
    { id: 'msmtp', label: `msmtp, one process per message (${n})`, unit: 'msg/s' },
    n,
    samples,
  );
}

export async function sendCase(config, { dir, db }) {
  const rows = config.n(20_000, 200);
  const sink = await startSmtpSink();
  const sources = { full: await rendered(db, dir, rows) };
  sources.warm = rows > 1000 ? await rendered(db, dir, 1000) : sources.full;
  try {
    const samples = await interleave({
      runs: config.runs,
      variants: variants(db, dir, sources, sink),
    });
    const notes = [
      `${rows.toLocaleString('en-US')} messages of a real render, each run from a copy of ` +
        'its folder and database; send and the pool interleaved; sink in the bench process',
    ];
    const msmtp = await msmtpBaseline(config, sources.full, sink, notes);
    const unit = 'msg/s';
    const measurements = [
      ...(msmtp ? [msmtp] : []),
      rate(
        { id: 'pool', label: 'bare nodemailer pool, 16 connections, no ledger', unit },
        rows,
        samples.pool,
      ),
      rate(
        {
          id: 'connections',
          label: 'bare SMTPConnection, 16 connections, no ledger (what send builds on)',
          unit,
        },
        rows,
        samples.connections,
      ),
      ...CONCURRENCY.map((c) =>
        rate(
          {
            id: `c${c}`,
            label: `send --concurrency ${c}`,
            unit,
            baseline: ['msmtp', 'pool', 'connections'],
          },
          rows,
          samples[`c${c}`],
        ),
      ),
    ];
    const targets = [
      ...(msmtp
        ? [{ id: 'c16', vs: 'msmtp', min: 100, text: 'send (16) ≥ 100× msmtp per message' }]
        : []),
      { id: 'c8', vs: 'pool', min: 0.8, text: 'send (8, the default) ≥ 0.8× the bare pool' },
      { id: 'c16', vs: 'pool', min: 0.9, text: 'send (16) ≥ 0.9× the bare pool' },
      { id: 'c1', vs: 'pool', min: 0.5, text: 'send (1) ≥ 0.5× the bare pool' },
    ];
    return { measurements, targets, notes };
  } finally {
    await sink.close();
    for (const source of new Set(Object.values(sources))) await source.target.drop();
  }
}
