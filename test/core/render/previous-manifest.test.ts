import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamagedLineError } from '../../../src/core/outdir/files.js';
import type { ManifestEntry } from '../../../src/core/outdir/manifest.js';
import { PreviousManifest } from '../../../src/core/render/previous-manifest.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-prev-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function entry(n: number, email: string, cohort = 'creator-x', file?: string): ManifestEntry {
  return {
    email,
    cohort,
    inviteId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    code: `CODE${n}`,
    expiresAt: '2026-12-26T17:00:00.000Z',
    file: file ?? `${String(n).padStart(5, '0')}-x.eml`,
    sha256: 'a'.repeat(64),
    line: n + 1,
  };
}

const write = (lines: string[]) =>
  fs.writeFileSync(path.join(dir, 'manifest.jsonl'), lines.join('\n'));

describe('PreviousManifest', () => {
  it('is empty for a new folder', () => {
    const previous = PreviousManifest.read(dir);
    expect(previous.size).toBe(0);
    expect(previous.nextSeq).toBe(1);
    expect(previous.find('a@example.org', 'creator-x')).toBeUndefined();
    expect([...previous.untouched()]).toEqual([]);
    previous.close();
  });

  it('finds recipients by address (any case) and cohort, and gives back the rest in order', () => {
    const entries = Array.from({ length: 3000 }, (_, i) => entry(i + 1, `P${i}@Example.org`));
    write([...entries.map((e) => JSON.stringify(e)), '{"torn": ']);
    const previous = PreviousManifest.read(dir);
    expect(previous.size).toBe(3000);
    expect(previous.nextSeq).toBe(3001);
    for (const i of [0, 1, 1234, 2999]) {
      const found = previous.find(`p${i}@example.org`, 'creator-x');
      expect(found?.file).toBe(entries[i]?.file);
      if (found && i !== 1234) previous.touch(found.slot);
    }
    expect(previous.find('p1@example.org', 'other')).toBeUndefined();
    expect(previous.find('nobody@example.org', 'creator-x')).toBeUndefined();
    const rest = [...previous.untouched()];
    expect(rest).toEqual(entries.filter((_, i) => ![0, 1, 2999].includes(i)));
    previous.close();
  });

  it('keeps the last line of a recipient written twice, in the place of the first', () => {
    const first = entry(1, 'a@example.org', 'creator-x', '00001-a.eml');
    const again = entry(7, 'A@example.org', 'creator-x', '00007-a.eml');
    write([first, entry(2, 'b@example.org'), again].map((e) => JSON.stringify(e)));
    const previous = PreviousManifest.read(dir);
    expect(previous.size).toBe(2);
    expect(previous.nextSeq).toBe(8);
    expect(previous.find('a@example.org', 'creator-x')?.file).toBe('00007-a.eml');
    expect([...previous.untouched()].map((e) => e.file)).toEqual(['00007-a.eml', '00002-x.eml']);
    previous.close();
  });

  it('names a damaged line that is not the last', () => {
    write([
      JSON.stringify(entry(1, 'a@example.org')),
      '{oops',
      JSON.stringify(entry(2, 'b@x.org')),
    ]);
    expect(() => PreviousManifest.read(dir)).toThrow(DamagedLineError);
    try {
      PreviousManifest.read(dir);
    } catch (error) {
      expect((error as DamagedLineError).line).toBe(2);
    }
  });
});
