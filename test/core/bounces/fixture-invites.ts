import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from 'postgres';
import { fixture } from '../../helpers/paths.js';
import { randomCode } from '../ops/invites.js';

/** The invite id every fixture of fixtures/bounces/ names: `…5b01` to `…5b0a`. */
export function fixtureInviteId(n: number): string {
  return `0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b${n.toString(16).padStart(2, '0')}`;
}

/** The recipients of the fixtures, by invite number (…5bff is deliberately not inserted). */
const RECIPIENTS = [
  'ana.nobody@example.net',
  'bruno.closed@example.com',
  'chloe.gone@example.net',
  'dan.slow@example.com',
  'emma.typo@gmial.example',
  'felix.left@corp.example.com',
  'gina.full@example.net',
  'hugo@example.com',
  'ines@example.com',
  'jules@example.com',
];

/** Inserts the ten invites the fixtures bounce, sent a day before the first bounce. */
export async function insertFixtureInvites(sql: Sql): Promise<void> {
  for (const [i, email] of RECIPIENTS.entries()) {
    await sql`
      insert into public.beta_invites (id, code, email, cohort, sent_at, expires_at)
      values (${fixtureInviteId(i + 1)}, ${randomCode()}, ${email}, 'creator-test',
              '2026-11-30T00:00:00Z', '2027-01-30T00:00:00Z')`;
  }
}

export const BOUNCE_FIXTURES = fs
  .readdirSync(fixture('bounces'))
  .filter((n) => n.endsWith('.eml'))
  .sort();

/** A Maildir under `dir` with every fixture: half in new/, half in cur/ (as a client leaves them). */
export function writeMaildir(dir: string, names: string[] = BOUNCE_FIXTURES): string {
  for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  names.forEach((name, i) => {
    const file = i % 2 === 0 ? `new/17648${i}.M1P1.host` : `cur/17648${i}.M1P1.host:2,S`;
    fs.copyFileSync(fixture(`bounces/${name}`), path.join(dir, file));
  });
  return dir;
}

/** An mboxrd file with every fixture (`From ` lines of bodies quoted). */
export function writeMbox(file: string, names: string[] = BOUNCE_FIXTURES): string {
  const parts = names.map((name) => {
    const text = fs.readFileSync(fixture(`bounces/${name}`), 'latin1').replace(/\r\n/g, '\n');
    const quoted = text.replace(/^(>*From )/gm, '>$1');
    return `From MAILER-DAEMON Fri Dec  4 10:00:00 2026\n${quoted.replace(/\n?$/, '\n')}\n`;
  });
  fs.writeFileSync(file, parts.join(''), 'latin1');
  return file;
}
