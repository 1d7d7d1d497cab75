import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { addresses, makeOutdir } from '../helpers/outdir.js';

/** Every file and folder under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

function said(run: CliResult, dir: string): string {
  return `exit ${run.exitCode}\n${run.stdout}${run.stderr}`.split(dir).join('DIR');
}

async function folder(prefix: string, n = 3) {
  return makeOutdir({ emails: addresses(n, prefix), preview: true });
}

// Each test runs the real binary a few times: generous on a busy machine.
describe('beta-invites review', { timeout: 120_000 }, () => {
  it('refuses a folder without a manifest, writing nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-review-empty-'));
    const run = await runCli(['review', dir]);
    expect(said(run, dir)).toMatchInlineSnapshot(`
      "exit 1
      beta-invites: DIR/manifest.jsonl is missing or empty
        run beta-invites render first, with --out DIR"
    `);
    expect(listing(dir)).toEqual([]);
  });

  it('refuses a folder with a missing .eml, writing nothing', async () => {
    const out = await folder('lost');
    fs.rmSync(out.file('lost003@example.net'));
    const before = listing(out.dir);
    const run = await runCli(['review', out.dir]);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "exit 1
      beta-invites: 1 .eml file(s) of DIR/manifest.jsonl are missing: 00003-lost003_example.net.eml
        rerun beta-invites render with --out DIR to write them again"
    `);
    expect(listing(out.dir)).toEqual(before);
  });

  it('refuses --approve without --by (usage, exit 64), writing nothing', async () => {
    const out = await folder('noby');
    expect(said(await runCli(['review', out.dir]), out.dir)).toContain('exit 0');
    const before = listing(out.dir);
    const run = await runCli(['review', out.dir, '--approve']);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "exit 64
      beta-invites: --approve needs --by NAME: who approves this folder"
    `);
    const alone = await runCli(['review', out.dir, '--by', 'Alice']);
    expect(said(alone, out.dir)).toMatchInlineSnapshot(`
      "exit 64
      beta-invites: --by goes with --approve"
    `);
    expect(listing(out.dir)).toEqual(before);
  });

  it('with --open and no opener on PATH, says so and still writes the page', async () => {
    const out = await folder('opener', 1);
    const run = await runCli(['review', out.dir, '--open'], { env: { PATH: '/nonexistent' } });
    expect(run.exitCode).toBe(0);
    expect(run.stderr.split(out.dir).join('DIR')).toMatch(
      /^beta-invites: (xdg-open|open) not found: open DIR\/review\/index.html in a browser$/,
    );
    expect(fs.existsSync(path.join(out.dir, 'review', 'index.html'))).toBe(true);
  });

  it('refuses to approve a folder nobody reviewed', async () => {
    const out = await folder('unread');
    const run = await runCli(['review', out.dir, '--approve', '--by', 'Alice']);
    expect(said(run, out.dir)).toMatchInlineSnapshot(`
      "exit 1
      beta-invites: DIR has no review page: nothing was approved
        run beta-invites review DIR, read DIR/review/index.html, then approve"
    `);
    expect(fs.existsSync(path.join(out.dir, 'approved.json'))).toBe(false);
  });

  it('builds the page, then records who approved it and when', async () => {
    const out = await folder('good');
    const cwd = path.dirname(out.dir);
    const name = path.basename(out.dir);
    const built = await runCli(['review', name], { cwd });
    expect(said(built, out.dir).split(name).join('DIR')).toMatchInlineSnapshot(`
      "exit 0
      Review page: DIR/review/index.html
        3 invitation(s), 1 cohort(s), 1 variant(s), 1 sample(s)
        rendered with --dry-run: PREVIEW codes, send refuses this folder
        no warnings
        approval: not approved yet; after reading the page: beta-invites review DIR --approve --by NAME
        open it in a browser: DIR/review/index.html"
    `);
    const approved = await runCli(['review', name, '--approve', '--by', 'Alice Martin'], { cwd });
    expect(approved.exitCode).toBe(0);
    const record = JSON.parse(fs.readFileSync(path.join(out.dir, 'approved.json'), 'utf8')) as {
      by: string;
      at: string;
      manifestSha256: string;
    };
    expect(record.by).toBe('Alice Martin');
    expect(Date.now() - Date.parse(record.at)).toBeLessThan(120_000);
    expect(approved.stdout.split(name).join('DIR')).toContain(
      `Approved DIR by Alice Martin at ${record.at}`,
    );
    const json = await runCli(['review', name, '--json'], { cwd });
    const doc = JSON.parse(json.stdout) as { kind: string; approval: { state: string } };
    expect([doc.kind, doc.approval.state, json.stderr]).toEqual(['built', 'approved', '']);
  });
});
