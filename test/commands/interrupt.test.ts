import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { bin } from '../helpers/paths.js';
import { emlFiles, manifestOf, senderEnv, writeCohort } from '../helpers/render.js';
import { useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Ctrl-C', () => {
  it('stops render after the batch in flight; the rerun finishes without a second invite', async () => {
    const cohort = writeCohort(db.home, 3000, 'big.csv', 'big');
    const out = path.join(db.home, 'out-big');
    await db.release();
    const child = execa(
      process.execPath,
      [bin, 'render', cohort, '--out', out, '--batch-size', '100'],
      {
        cwd: db.home,
        env: cleanEnv({ ...db.env, ...senderEnv }),
        extendEnv: false,
        reject: false,
      },
    );
    await waitFor(() => emlFiles(out).length >= 200, 90_000);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toContain('Interrupted: rerun the same command to finish');
    const rendered = manifestOf(out);
    expect(rendered.length).toBeGreaterThanOrEqual(200);
    expect(rendered.length).toBeLessThan(3000);
    expect(new Set(emlFiles(out))).toEqual(new Set(rendered.map((m) => m.file)));

    const rerun = await runCli(['render', cohort, '--out', out], { db, env: senderEnv });
    expect(rerun.exitCode).toBe(0);
    const sql = await db.sql();
    const [counts] = await sql<{ rows: number; people: number }[]>`
      select count(*) as rows, count(distinct lower(email)) as people
      from public.beta_invites where email like 'big%'`;
    expect(counts).toEqual({ rows: 3000, people: 3000 });
    const manifest = manifestOf(out);
    expect(manifest).toHaveLength(3000);
    // Invites rendered before the interruption kept their code.
    const codes = new Map(manifest.map((m) => [m.email, m.code]));
    for (const entry of rendered) expect(codes.get(entry.email)).toBe(entry.code);
  });

  it('stops a long validation at once', async () => {
    const file = path.join(db.home, 'huge.csv');
    const stream = fs.createWriteStream(file);
    stream.write('email,cohort\n');
    for (let i = 0; i < 1_000_000; i++) stream.write(`p${i}@example.org,creator-x\n`);
    await new Promise((resolve) => stream.end(resolve));
    const child = execa(process.execPath, [bin, 'validate-cohort', file], {
      env: cleanEnv(),
      extendEnv: false,
      reject: false,
    });
    // Interrupted once it reads the file (its handlers are in place by then), however long
    // a busy machine takes to start it.
    const reading = () => {
      const fds = `/proc/${child.pid}/fd`;
      return fs.readdirSync(fds).some((fd) => {
        try {
          return fs.readlinkSync(path.join(fds, fd)) === file;
        } catch {
          return false;
        }
      });
    };
    await waitFor(reading, 60_000);
    const sent = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain('beta-invites: interrupted by SIGINT');
    expect(Date.now() - sent).toBeLessThan(5000);
  });
});
