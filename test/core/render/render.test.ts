import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareOutDir } from '../../../src/core/render/outdir.js';
import { renderCohort, type RenderPlan } from '../../../src/core/render/render.js';
import { defaultTemplateDir, loadTemplates } from '../../../src/core/render/templates.js';
import { frenchSender as sender } from '../../helpers/invitation.js';
import { emlFiles, writeCohort } from '../../helpers/render.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-render-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The files this process holds open under `dir`. */
function openUnder(root: string): string[] {
  const fds = '/proc/self/fd';
  return fs
    .readdirSync(fds)
    .map((fd) => {
      try {
        return fs.readlinkSync(path.join(fds, fd));
      } catch {
        return ''; // closed since the listing
      }
    })
    .filter((target) => target.startsWith(root + path.sep));
}

/** Polls: a stream closes its file a few ticks after it is destroyed. */
async function closedWithin(root: string, ms: number): Promise<string[]> {
  const until = Date.now() + ms;
  let open = openUnder(root);
  while (open.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    open = openUnder(root);
  }
  return open;
}

// 20,000 rows are about 900 KB: the reader is mid-file (256 KB chunks) after the first batch.
const ROWS = 20_000;

function plan(onProgress: (done: number) => void): RenderPlan {
  const file = writeCohort(dir, ROWS);
  const out = path.join(dir, 'out');
  prepareOutDir(out);
  return {
    file,
    out,
    total: ROWS,
    compose: {
      sender,
      templates: loadTemplates(defaultTemplateDir, ['name']).templates,
      timeZone: 'Europe/Paris',
    },
    preview: { now: new Date('2026-12-05T10:00:00Z'), expiresInMs: 86_400_000 },
    batchSize: 100,
    jobs: 1,
    onProgress,
  };
}

describe.runIf(process.platform === 'linux')('renderCohort stopped mid-file', () => {
  it('closes the cohort file after Ctrl-C, with the batches begun rendered', async () => {
    const stop = new AbortController();
    const stats = await renderCohort(
      plan(() => stop.abort()),
      { signal: stop.signal },
    );
    expect(stats.interrupted).toBe(true);
    expect(stats.rendered).toBeLessThan(ROWS);
    expect(emlFiles(path.join(dir, 'out'))).toHaveLength(stats.rendered);
    expect(await closedWithin(dir, 2_000)).toEqual([]);
  });

  it('closes the cohort file and the manifest when a batch fails', async () => {
    const failing = plan((done) => {
      if (done >= 300) throw new Error('the disk is full');
    });
    await expect(
      renderCohort(failing, { signal: new AbortController().signal }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(`[Error: the disk is full]`);
    expect(await closedWithin(dir, 2_000)).toEqual([]);
    // A failed run keeps the folder's previous manifest (here none), and no temp file.
    expect(fs.readdirSync(path.join(dir, 'out')).filter((f) => !f.endsWith('.eml'))).toEqual([]);
  });
});
