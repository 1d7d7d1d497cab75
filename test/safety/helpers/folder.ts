import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from 'postgres';
import { readInviteHeaders } from '../../../src/core/send/headers.js';

/**
 * Reads a JSON-lines file strictly: every newline-terminated line must be JSON. Only an
 * unterminated last line (an append cut short) is set apart, as `torn`, for the caller to
 * judge. A missing file reads as no lines.
 */
export function strictJsonLines(file: string): { values: unknown[]; torn: string | undefined } {
  if (!fs.existsSync(file)) return { values: [], torn: undefined };
  const text = fs.readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const values = text
    .slice(0, end)
    .split('\n')
    .slice(0, -1)
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${path.basename(file)}: line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
      }
    });
  return { values, torn: end < text.length ? text.slice(end) : undefined };
}

/** The names in a folder, sorted (hidden temp files included: they must not linger). */
export function listing(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** A problem with a folder's manifest, or undefined: each entry's file exists and matches. */
export function manifestProblem(
  dir: string,
  entries: { file: string; sha256: string; inviteId: string; email: string }[],
): string | undefined {
  for (const entry of entries) {
    const file = path.join(dir, entry.file);
    if (!fs.existsSync(file)) return `${entry.file} is in the manifest but missing`;
    const bytes = fs.readFileSync(file);
    if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256)
      return `${entry.file} does not match its sha256`;
    const headers = readInviteHeaders(bytes);
    if (headers.inviteId !== entry.inviteId) return `${entry.file} carries another invite`;
  }
  return undefined;
}

/**
 * The .eml files of a folder whose invite is not a committed row for the file's recipient
 * (an .eml must only ever be written for a committed invite).
 */
export async function orphanEml(sql: Sql, dir: string): Promise<string[]> {
  const files = listing(dir).filter((f) => f.endsWith('.eml') && !f.startsWith('.'));
  const found = files.map((f) => ({ f, h: readInviteHeaders(fs.readFileSync(path.join(dir, f))) }));
  const ids = found.map((x) => x.h.inviteId ?? '00000000-0000-0000-0000-000000000000');
  const rows = await sql<{ id: string; email: string }[]>`
    select id::text, lower(email) as email from public.beta_invites where id = any(${ids}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.id, r.email]));
  return found
    .filter((x) => byId.get(x.h.inviteId ?? '') !== x.h.to[0]?.toLowerCase())
    .map((x) => x.f);
}
