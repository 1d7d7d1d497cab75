import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReview } from '../../../src/core/review/build-review.js';
import { addresses, makeOutdir } from '../../helpers/outdir.js';

const clock = () => new Date('2026-05-01T10:00:00Z');

/** What is in the folder besides the .eml files and the manifest. */
function extras(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.eml') && f !== 'manifest.jsonl')
    .sort();
}

describe('buildReview', () => {
  it('writes the index and one page per recipient, and returns the summary', async () => {
    const out = await makeOutdir({ emails: addresses(3, 'rev'), preview: true });
    const result = await buildReview(out.dir, clock);
    expect(extras(out.dir)).toEqual(['review']);
    expect(fs.readdirSync(path.join(out.dir, 'review', 'r')).sort()).toEqual([
      '00001.html',
      '00002.html',
      '00003.html',
    ]);
    const index = fs.readFileSync(result.index, 'utf8');
    expect(index).toContain(`content="${result.manifestSha256}"`);
    expect(result.preview).toBe(true);
    expect(result.summary.cohorts).toEqual([{ value: 'creator-test', count: 3 }]);
    expect(result.samples).toEqual([
      { cohort: 'creator-test', variant: 'A', file: '00001-rev001_example.net.eml' },
    ]);
  });

  it('refuses a folder with a missing .eml before writing anything', async () => {
    const out = await makeOutdir({ emails: addresses(3, 'gone'), preview: true });
    fs.rmSync(out.file('gone002@example.net'));
    const error = await buildReview(out.dir, clock).then(
      () => undefined,
      (e: unknown) => e as Error & { hint?: string },
    );
    expect(`${error?.message}\n${error?.hint}`.split(out.dir).join('DIR')).toMatchInlineSnapshot(`
      "1 .eml file(s) of DIR/manifest.jsonl are missing: 00002-gone002_example.net.eml
      rerun beta-invites render with --out DIR to write them again"
    `);
    expect(extras(out.dir)).toEqual([]);
  });

  it('keeps the previous review when a rebuild fails, and replaces it when one succeeds', async () => {
    const out = await makeOutdir({ emails: addresses(2, 'keep'), preview: true });
    await buildReview(out.dir, clock);
    const index = path.join(out.dir, 'review', 'index.html');
    const first = fs.readFileSync(index, 'utf8');
    const eml = out.file('keep001@example.net');
    const bytes = fs.readFileSync(eml);
    fs.rmSync(eml);
    await expect(buildReview(out.dir, clock)).rejects.toThrow(/missing/);
    expect(fs.readFileSync(index, 'utf8')).toBe(first);
    fs.writeFileSync(eml, Buffer.from(bytes.toString('utf8').replace('Bonjour,', 'Bonjour Zoé,')));
    const again = await buildReview(out.dir, () => new Date('2026-05-02T10:00:00Z'));
    expect(extras(out.dir)).toEqual(['review']);
    expect(again.summary.warnings.map((w) => w.kind)).toEqual(['changed-file', 'empty-value']);
    expect(fs.readFileSync(index, 'utf8')).toContain('2026-05-02T10:00:00.000Z');
  });

  it('removes the temp folder of an interrupted review once it is old', async () => {
    const out = await makeOutdir({ emails: addresses(1, 'old'), preview: true });
    const abandoned = path.join(out.dir, '.review.0a1b2c3d.tmp');
    fs.mkdirSync(path.join(abandoned, 'r'), { recursive: true });
    const recent = path.join(out.dir, '.review.99999999.tmp');
    fs.mkdirSync(recent);
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(abandoned, old, old);
    await buildReview(out.dir, () => new Date());
    expect(extras(out.dir)).toEqual(['.review.99999999.tmp', 'review']);
  });

  it('refuses a folder without a manifest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-empty-'));
    await expect(buildReview(dir, clock)).rejects.toThrow(/manifest\.jsonl is missing or empty/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
