// Case 6, memory: peak RSS of a whole launch, render then send, on 1,000,000 recipients
// (PostgreSQL server) or 100,000 (embedded database), against the same two commands on
// 1,000 recipients in the same run: constant memory means a ratio near 1. One run of each
// size, no warm-up: a peak is not a timing, and the full size takes minutes.
import path from 'node:path';
import { bin } from '../lib/config.js';
import { cohortFile } from '../lib/cohort-file.js';
import { log, peakRss, rate } from '../lib/measure.js';
import { runBin } from '../lib/proc.js';
import { startSmtpSink } from '../lib/smtp-sink.js';
import { renderInto, senderEnv } from './render.js';

/** Peak RSS allowed to one process of the full-size launch, in MB. */
const LIMIT_MB = { server: 300, embedded: 400 };
const SMALL = 1000;

/** Renders `rows` recipients into a fresh database, then sends them all to the sink. */
async function launch(db, dir, sink, rows) {
  const file = await cohortFile(dir, rows);
  const target = await db.fresh();
  try {
    const out = path.join(dir, `memory-${rows}`);
    const render = await renderInto({ file, rows }, out, { ...target.env, ...senderEnv });
    log(`render ${rows}: ${render.seconds.toFixed(1)} s, ${Math.round(render.rssMB)} MB`);
    const before = sink.received();
    const send = await runBin(bin, ['send', out, '--confirm', '--smtp', sink.url], {
      env: target.env,
    });
    const got = sink.received() - before;
    if (got !== rows) throw new Error(`the sink received ${got} messages, not ${rows}`);
    log(`send ${rows}: ${send.seconds.toFixed(1)} s, ${Math.round(send.rssMB)} MB`);
    return { render, send };
  } finally {
    await target.drop();
  }
}

export async function memoryCase(config, { dir, db }) {
  const full = config.n(db.kind === 'server' ? 1_000_000 : 100_000, SMALL);
  const limit = LIMIT_MB[db.kind];
  const sink = await startSmtpSink();
  let small;
  let big;
  try {
    small = await launch(db, dir, sink, SMALL);
    big = await launch(db, dir, sink, full);
  } finally {
    await sink.close();
  }
  const n = full.toLocaleString('en-US');
  const m = SMALL.toLocaleString('en-US');
  const measurements = [
    peakRss({ id: 'render-small', label: `render ${m}: peak RSS` }, [small.render]),
    peakRss({ id: 'render-full', label: `render ${n}: peak RSS`, baseline: 'render-small' }, [
      big.render,
    ]),
    peakRss({ id: 'send-small', label: `send ${m}: peak RSS` }, [small.send]),
    peakRss({ id: 'send-full', label: `send ${n}: peak RSS`, baseline: 'send-small' }, [big.send]),
    rate({ id: 'render-rate', label: `render ${n}`, unit: 'recipients/s' }, full, [big.render]),
    rate({ id: 'send-rate', label: `send ${n}`, unit: 'messages/s' }, full, [big.send]),
  ];
  return {
    measurements,
    targets: [
      { id: 'render-full', max: limit, text: `render of ${n} peak RSS < ${limit} MB` },
      { id: 'send-full', max: limit, text: `send of ${n} peak RSS < ${limit} MB` },
      {
        id: 'render-full',
        vs: 'render-small',
        max: 1.5,
        text: `render's peak RSS on ${n} < 1.5× on ${m}`,
      },
      {
        id: 'send-full',
        vs: 'send-small',
        max: 1.5,
        text: `send's peak RSS on ${n} < 1.5× on ${m}`,
      },
    ],
    notes: [
      `one run of each size, no warm-up; send at its default concurrency to the local ` +
        `sink, which discards every message; every process's peak RSS includes the ` +
        (db.kind === 'server' ? 'database driver' : 'embedded database in its thread'),
    ],
  };
}
