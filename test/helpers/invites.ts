import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import { CODE_ALPHABET, CODE_LENGTH } from '../../src/core/render/codes.js';

/** A row to insert as it is, every instant explicit (the report's hand-computed fixtures). */
export interface InviteFixture {
  email: string;
  cohort: string;
  code?: string;
  createdAt?: Date;
  sentAt?: Date | null;
  usedAt?: Date | null;
  expiresAt: Date;
  revokedAt?: Date | null;
  sentBy?: string | null;
}

/** A random well-formed code (the real alphabet, uniform: 256 is a multiple of 32). */
export function randomCode(): string {
  return Array.from(randomBytes(CODE_LENGTH), (b) => CODE_ALPHABET[b & 31]).join('');
}

/** Inserts invites through SQL; returns their ids and codes in order. */
export async function insertInvites(
  sql: Sql,
  rows: InviteFixture[],
): Promise<{ id: string; code: string }[]> {
  const out: { id: string; code: string }[] = [];
  for (const r of rows) {
    const code = r.code ?? randomCode();
    const [row] = await sql<{ id: string }[]>`
      insert into public.beta_invites
        (code, email, cohort, created_at, sent_at, used_at, expires_at, revoked_at, sent_by)
      values (${code}, ${r.email}, ${r.cohort}, ${r.createdAt ?? new Date('2026-01-01T00:00:00Z')},
              ${r.sentAt ?? null}, ${r.usedAt ?? null}, ${r.expiresAt}, ${r.revokedAt ?? null},
              ${r.sentBy ?? null})
      returning id::text`;
    out.push({ id: row?.id ?? '', code });
  }
  return out;
}

/** `base` moved by a number of milliseconds. */
export function at(base: Date, ms: number): Date {
  return new Date(base.getTime() + ms);
}

export const SECOND = 1_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
