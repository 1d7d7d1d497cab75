#!/usr/bin/env node
// What `send` builds on since it stopped using the pool: nodemailer's SMTPConnection,
// 16 connections each sending the .eml files of a render folder as they are, with their
// envelopes; no ledger, no database, no checks.
//   node bench/lib/bare-connections.js DIR smtp://127.0.0.1:PORT FROM
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { manifestEntries } from './manifest-entries.js';

const [dir, url, from] = process.argv.slice(2);
const { hostname: host, port } = new URL(url);
const entries = manifestEntries(dir);

let next = 0;
async function lane() {
  const connection = new SMTPConnection({ host, port: Number(port), ignoreTLS: true });
  await new Promise((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(resolve);
  });
  while (next < entries.length) {
    const { email, file } = entries[next++];
    const raw = await fs.promises.readFile(path.join(dir, file));
    await new Promise((resolve, reject) =>
      connection.send({ from, to: [email] }, raw, (error) => (error ? reject(error) : resolve())),
    );
  }
  connection.quit();
}
await Promise.all(Array.from({ length: 16 }, lane));
process.stdout.write(`${entries.length}\n`);
