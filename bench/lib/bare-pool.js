#!/usr/bin/env node
// The floor of `send`: a bare nodemailer pool sending the .eml files of a render folder
// as raw messages with their envelopes; no ledger, no database, no checks.
//   node bench/lib/bare-pool.js DIR smtp://127.0.0.1:PORT FROM
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';
import nodemailer from 'nodemailer';
import { manifestEntries } from './manifest-entries.js';

const [dir, url, from] = process.argv.slice(2);
const { hostname: host, port } = new URL(url);
const pool = nodemailer.createTransport({
  pool: true,
  maxConnections: 16,
  maxMessages: Infinity,
  host,
  port: Number(port),
  secure: false,
  ignoreTLS: true,
});
const entries = manifestEntries(dir);

// A window of messages in flight: enough to keep every connection busy, few enough
// that the files are not all read into memory at once.
let next = 0;
async function worker() {
  while (next < entries.length) {
    const { email, file } = entries[next++];
    const raw = await fs.promises.readFile(path.join(dir, file));
    await pool.sendMail({ raw, envelope: { from, to: [email] } });
  }
}
await Promise.all(Array.from({ length: 64 }, worker));
pool.close();
process.stdout.write(`${entries.length}\n`);
