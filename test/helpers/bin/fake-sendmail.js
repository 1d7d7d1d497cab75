#!/usr/bin/env node
// A sendmail-compatible program for tests: `fake-sendmail [opts] -i -f FROM -- TO…`.
// Writes the message it reads on stdin to $FAKE_SENDMAIL_DIR (one .eml and one .json with
// the argv per accepted message) and exits with the code chosen for the recipient:
//   FAKE_SENDMAIL_RULES='{"bad@x.org": [1], "later@x.org": [75, 0]}'
// Each recipient's list is used in order, one entry per attempt, the last repeating; the
// attempt count is kept in the folder so it survives from one process to the next.
// FAKE_SENDMAIL_DELAY_MS makes it slow (a stalled relay).
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';

const dir = process.env.FAKE_SENDMAIL_DIR;
if (!dir) {
  process.stderr.write('fake-sendmail: FAKE_SENDMAIL_DIR is not set\n');
  process.exit(78);
}
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const fromAt = args.indexOf('-f');
const from = fromAt >= 0 ? args[fromAt + 1] : undefined;
const to = dash >= 0 ? args.slice(dash + 1) : [];
if (!from || to.length === 0) {
  process.stderr.write(`fake-sendmail: usage: -f FROM -- TO (got ${JSON.stringify(args)})\n`);
  process.exit(64);
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => setTimeout(deliver, Number(process.env.FAKE_SENDMAIL_DELAY_MS || 0)));

function deliver() {
  const raw = Buffer.concat(chunks);
  const rules = JSON.parse(process.env.FAKE_SENDMAIL_RULES || '{}');
  const key = to[0].toLowerCase();
  const counter = path.join(dir, `.attempts-${key}`);
  const attempt = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0;
  fs.writeFileSync(counter, String(attempt + 1));
  const script = rules[key] || [0];
  const code = script[Math.min(attempt, script.length - 1)];
  if (code !== 0) {
    process.stderr.write(
      `fake-sendmail: ${code === 75 ? 'relay busy, try later' : 'mailbox unavailable'} for <${key}>\n`,
    );
    process.exit(code);
  }
  const name = `${Date.now()}-${process.pid}-${key}`;
  fs.writeFileSync(path.join(dir, `.${name}.tmp`), raw);
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ args, from, to }));
  fs.renameSync(path.join(dir, `.${name}.tmp`), path.join(dir, `${name}.eml`));
  process.exit(0);
}
