import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Sql } from 'postgres';
import { OUTDIR } from '../../src/core/outdir/files.js';
import type { ManifestEntry } from '../../src/core/outdir/manifest.js';
import { insertInvites } from './invites.js';

export const SENDER = 'Équipe Bêta <beta@example.org>';

export interface OutdirOptions {
  /** The database to create the invites in; without it (preview) no row is inserted. */
  sql?: Sql;
  /** Recipients' addresses. */
  emails: string[];
  cohort?: string;
  /** A `render --dry-run` folder: fake codes, no rows, `preview: true` in the manifest. */
  preview?: boolean;
  /** Where to write (default: a new temp folder). */
  dir?: string;
  /** Invite expiry (default: in 30 days). */
  expiresAt?: Date;
}

export interface Outdir {
  dir: string;
  entries: ManifestEntry[];
  /** The .eml path of one recipient. */
  file(email: string): string;
}

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function fakeCode(): string {
  return Array.from(randomBytes(16), (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** Inserts the invites like render does (one row each, created now). */
async function insertRendered(sql: Sql, emails: string[], cohort: string, expiresAt: Date) {
  const rows = emails.map((email) => ({ email, cohort, expiresAt, createdAt: new Date() }));
  const ids = await insertInvites(sql, rows);
  return ids.map((row, i) => ({ ...row, email: emails[i] ?? '' }));
}

/**
 * An invitation as render builds it: nodemailer's MIME composer, text + HTML. The text
 * holds a line that starts with a dot, so the SMTP dot-stuffing round trip is exercised.
 */
export function composeEml(invite: { id: string; code: string; email: string }): Promise<Buffer> {
  const text = [
    'Bonjour,',
    '',
    `Voici votre code d'invitation à la bêta : ${invite.code}`,
    '.',
    '.une ligne qui commence par un point',
    '',
    "L'équipe",
  ].join('\n');
  return new MailComposer({
    from: SENDER,
    replyTo: 'support@example.org',
    to: invite.email,
    subject: 'Votre invitation à la bêta',
    text,
    html: `<p>Bonjour,</p><p>Votre code : <b>${invite.code}</b></p>`,
    date: new Date('2026-05-01T09:00:00Z'),
    messageId: `<invite-${invite.id}@example.org>`,
    headers: { 'X-Beta-Invite-Id': invite.id },
    textEncoding: 'quoted-printable',
  })
    .compile()
    .build();
}

export function emlName(index: number, email: string): string {
  return `${String(index + 1).padStart(5, '0')}-${email.replace(/[^A-Za-z0-9.-]/g, '_')}.eml`;
}

/** Builds an output folder exactly as render leaves it: .eml files plus manifest.jsonl. */
export async function makeOutdir(options: OutdirOptions): Promise<Outdir> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bi-out-'));
  fs.mkdirSync(dir, { recursive: true });
  const cohort = options.cohort ?? 'creator-test';
  const expiresAt = options.expiresAt ?? new Date(Date.now() + 30 * 86_400_000);
  const invites =
    options.preview || !options.sql
      ? options.emails.map((email) => ({ id: randomUUID(), code: fakeCode(), email }))
      : await insertRendered(options.sql, options.emails, cohort, expiresAt);
  const entries: ManifestEntry[] = [];
  for (const [i, invite] of invites.entries()) {
    const bytes = await composeEml(invite);
    const file = emlName(i, invite.email);
    fs.writeFileSync(path.join(dir, file), bytes);
    entries.push({
      email: invite.email,
      cohort,
      inviteId: invite.id,
      code: invite.code,
      expiresAt: expiresAt.toISOString(),
      file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      line: i + 2,
      ...(options.preview ? { preview: true } : {}),
    });
  }
  fs.writeFileSync(
    path.join(dir, OUTDIR.manifest),
    entries.map((e) => JSON.stringify(e) + '\n').join(''),
  );
  const byEmail = new Map(entries.map((e) => [e.email, path.join(dir, e.file)]));
  return { dir, entries, file: (email) => byEmail.get(email) ?? '' };
}

/** `n` distinct addresses: user001@example.net … */
export function addresses(n: number, prefix = 'user'): string[] {
  return Array.from(
    { length: n },
    (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}@example.net`,
  );
}

/** The records of a JSON-lines file (a ledger), or none when it does not exist. */
export function readJsonl(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
