import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerIndex } from '../../../src/core/send/ledger.js';
import { manifestChunks, scanManifest } from '../../../src/core/send/manifest-stream.js';

function entry(n: number, overrides: Record<string, unknown> = {}) {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    ...{ email: `r${n}@example.org`, cohort: n % 2 === 0 ? 'even' : 'odd', inviteId: id },
    ...{ code: `CODE${n}`, expiresAt: '2026-06-01T00:00:00.000Z', file: `${n}.eml` },
    ...{ sha256: 'a'.repeat(64), line: n + 1 },
    ...overrides,
  };
}

function folder(entries: object[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-manifest-'));
  fs.writeFileSync(
    path.join(dir, 'manifest.jsonl'),
    entries.map((e) => JSON.stringify(e) + '\n').join(''),
  );
  return dir;
}

describe('scanManifest and manifestChunks', () => {
  it('reads the manifest again in chunks, in order, with the index of each chunk', () => {
    const dir = folder(Array.from({ length: 7 }, (_, n) => entry(n)));
    const scan = scanManifest(dir, undefined);
    expect(scan.total).toBe(7);
    const chunks = [...manifestChunks(scan, 3)].map((c) => ({
      start: c.start,
      files: c.entries.map((e) => e.file),
    }));
    expect(chunks).toEqual([
      { start: 0, files: ['0.eml', '1.eml', '2.eml'] },
      { start: 3, files: ['3.eml', '4.eml', '5.eml'] },
      { start: 6, files: ['6.eml'] },
    ]);
  });

  it('refuses a manifest changed after it was checked', () => {
    const dir = folder([entry(1), entry(2)]);
    const scan = scanManifest(dir, undefined);
    fs.appendFileSync(path.join(dir, 'manifest.jsonl'), JSON.stringify(entry(3)) + '\n');
    expect(() => [...manifestChunks(scan, 10)]).toThrowErrorMatchingInlineSnapshot(
      `[UserError: ${path.join(dir, 'manifest.jsonl')} changed while send was reading it]`,
    );
  });

  it('names the first key listed twice, in manifest order (invite id or address)', () => {
    const many = Array.from({ length: 50 }, (_, n) => entry(n));
    const byAddress = folder([...many, entry(60, { email: 'R7@example.org', file: 'x.eml' })]);
    expect(() => scanManifest(byAddress, undefined)).toThrowErrorMatchingInlineSnapshot(
      `[UserError: manifest.jsonl lists r7@example.org twice (7.eml and x.eml)]`,
    );
    const byId = folder([...many, entry(3, { email: 'other@example.org', file: 'y.eml' })]);
    expect(() => scanManifest(byId, undefined)).toThrowErrorMatchingInlineSnapshot(
      `[UserError: manifest.jsonl lists 00000000-0000-4000-8000-000000000003 twice (3.eml and y.eml)]`,
    );
  });
});

describe('LedgerIndex', () => {
  it('keeps the first time of each id, UUIDs and other ids alike, across growth', () => {
    const index = new LedgerIndex();
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const at = (n: number) => new Date(Date.UTC(2026, 4, 1, 0, 0, n)).toISOString();
    for (let n = 0; n < 5_000; n++) index.add(id(n), at(n));
    index.add(id(42), at(4_999));
    index.add('not-a-uuid', 'yesterday');
    index.add('not-a-uuid', 'today');
    expect(index.size).toBe(5_001);
    expect(index.get(id(42))).toBe(at(42));
    expect(index.get(id(4_999))).toBe(at(4_999));
    expect(index.get('not-a-uuid')).toBe('yesterday');
    expect(index.has(id(5_000))).toBe(false);
  });
});
