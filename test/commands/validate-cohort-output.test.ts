import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCohort } from '../../fixtures/generate-cohort.js';
import { dbKind } from '../helpers/database.js';
import { runCli } from '../helpers/cli.js';
import { fixture, root } from '../helpers/paths.js';
import { useScratchDir, useTestDatabase } from '../helpers/fixtures.js';

// Each embedded run starts PGlite (seconds, more on a loaded machine).
const SLOW = { timeout: 180_000 };

const scratch = useScratchDir('bi-vco-');
const db = useTestDatabase();

function validate(args: string[], env: Record<string, string> = {}) {
  return runCli(['validate-cohort', ...args], {
    cwd: root,
    env: { BETA_INVITES_HOME: scratch, ...env },
  });
}

describe('validate-cohort --json', SLOW, () => {
  it('prints one JSON document with valid, stats, and every error and warning', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `bad${i + 1},creator-x\n`).join('');
    const p = path.join(scratch, 'thirty-bad.csv');
    fs.writeFileSync(
      p,
      'email,cohort\n' + rows + 'zoe@example.org,creator-x\nzoe+x@example.org,c\n',
    );
    const run = await validate([p, '--json']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Record<string, unknown> & {
      errors: Record<string, unknown>[];
      warnings: Record<string, unknown>[];
    };
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['valid', 'verdict', 'stats', 'checks', 'errors', 'warnings']),
    );
    expect(report.valid).toBe(false);
    expect(report.stats).toEqual({
      rows: 32,
      columns: ['email', 'cohort'],
      labels: 2,
      creators: 31,
      distribution: { 'creator-x': 31, c: 1 },
    });
    expect(report.errors).toHaveLength(30);
    expect(report.errors[0]).toEqual({
      type: 'invalid-email',
      line: 2,
      field: 'email',
      value: 'bad1',
      message: 'email has no @',
    });
    expect(report.warnings).toMatchInlineSnapshot(`
      [
        {
          "field": "email",
          "line": 33,
          "message": "probably the same mailbox as zoe@example.org (line 32)",
          "type": "likely-duplicate",
          "value": "zoe+x@example.org",
        },
        {
          "field": "",
          "line": 0,
          "message": "32 recipients (minimum 50)",
          "type": "min-total",
          "value": "32",
        },
        {
          "field": "cohort",
          "line": 0,
          "message": "2 labels (minimum 3)",
          "type": "min-labels",
          "value": "2",
        },
      ]
    `);
  });

  it('--format json is the same document', async () => {
    const [a, b] = await Promise.all([
      validate(['fixtures/small.csv', '--json']),
      validate(['fixtures/small.csv', '--format', 'json']),
    ]);
    expect(a.exitCode).toBe(2);
    expect(b.exitCode).toBe(2);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
  });
});

describe('validate-cohort --format github', SLOW, () => {
  it('prints one annotation per issue, then a notice', async () => {
    const run = await validate(['fixtures/duplicates.csv', '--format', 'github']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatchInlineSnapshot(`
      "::error file=fixtures/duplicates.csv,line=2,title=duplicate-email::line 2: "elodie.lefevre@example.org" the same email appears again on line 4
      ::error file=fixtures/duplicates.csv,line=3,title=duplicate-email::line 3: "francois.mercier@example.net" the same email appears again on line 11
      ::error file=fixtures/duplicates.csv,line=4,title=duplicate-email::line 4: "Elodie.Lefevre@Example.ORG" duplicate of line 2
      ::error file=fixtures/duplicates.csv,line=5,title=duplicate-email::line 5: "elodie.lefevre@example.org" duplicate of line 2
      ::error file=fixtures/duplicates.csv,line=11,title=duplicate-email::line 11: "FRANCOIS.MERCIER@EXAMPLE.NET" duplicate of line 3
      ::warning file=fixtures/duplicates.csv,line=7,title=likely-duplicate::line 7: "zoevezina@gmail.com" probably the same mailbox as zoe.vezina@gmail.com (line 6)
      ::warning file=fixtures/duplicates.csv,line=8,title=likely-duplicate::line 8: "zoe.vezina+beta@googlemail.com" probably the same mailbox as zoe.vezina@gmail.com (line 6)
      ::warning file=fixtures/duplicates.csv,line=10,title=likely-duplicate::line 10: "anais.guerin+launch@example.org" probably the same mailbox as anais.guerin@example.org (line 9)
      ::warning file=fixtures/duplicates.csv,title=min-total::10 recipients (minimum 50)
      ::warning file=fixtures/duplicates.csv,title=min-creators::2 creator rows (minimum 5)
      ::notice file=fixtures/duplicates.csv::10 recipients, verdict blocked"
    `);
  });

  it('escapes what GitHub would misread', async () => {
    const p = path.join(scratch, 'a,b%.csv');
    fs.writeFileSync(p, 'email,cohort\n"x%y\nz",c\n');
    const run = await validate([p, '--format', 'github', '--force']);
    expect(run.stdout.replaceAll(scratch, 'SCRATCH')).toMatchInlineSnapshot(`
      "::error file=SCRATCH/a%2Cb%25.csv,line=2,title=invalid-email::line 2: "x%25y\\nz" email contains a space
      ::warning file=SCRATCH/a%2Cb%25.csv,title=min-total::1 recipient (minimum 50)
      ::warning file=SCRATCH/a%2Cb%25.csv,title=min-creators::0 creator rows (minimum 5)
      ::warning file=SCRATCH/a%2Cb%25.csv,title=min-labels::1 label (minimum 3)
      ::notice file=SCRATCH/a%2Cb%25.csv::1 recipient, verdict blocked"
    `);
  });
});

describe('validate-cohort on a large file', SLOW, () => {
  it('accepts a generated 10,000-row cohort', async () => {
    const p = path.join(scratch, 'ten-thousand.csv');
    const out = fs.createWriteStream(p);
    await generateCohort(10_000, out);
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const run = await validate([p, '--json']);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as {
      stats: { rows: number; labels: number };
      errors: unknown[];
    };
    expect(report.stats.rows).toBe(10_000);
    expect(report.stats.labels).toBe(6);
    expect(report.errors).toEqual([]);
  });
});

describe(`validate-cohort --check-users (${dbKind})`, SLOW, () => {
  it('warns about emails already in public.users, found whatever their case', async () => {
    const sql = await db.sql();
    await sql`insert into public.users (email) values
      ('Elodie.Lefevre@example.org'), ('zoe.vezina@example.net'), ('nobody@example.org')`;
    const run = await runCli(['validate-cohort', fixture('cohort.csv'), '--check-users'], { db });
    expect(run.exitCode).toBe(2);
    expect(
      run.stdout
        .split('\n')
        .filter((l) => /users|line|WARN/.test(l))
        .join('\n'),
    ).toMatchInlineSnapshot(`
      "🟡 existing users     2 emails already in public.users
           line 2: "elodie.lefevre@example.org" already has an account in public.users
           line 4: "zoe.vezina@example.net" already has an account in public.users
      WARN: soft checks failed; rerun with --force (or FORCE=1) to proceed anyway."
    `);
    const forced = await runCli(
      ['validate-cohort', fixture('cohort.csv'), '--check-users', '--json', '--force'],
      {
        db,
      },
    );
    expect(forced.exitCode).toBe(0);
    const report = JSON.parse(forced.stdout) as { warnings: unknown[] };
    expect(report.warnings).toMatchInlineSnapshot(`
      [
        {
          "field": "email",
          "line": 2,
          "message": "already has an account in public.users",
          "type": "user-collision",
          "value": "elodie.lefevre@example.org",
        },
        {
          "field": "email",
          "line": 4,
          "message": "already has an account in public.users",
          "type": "user-collision",
          "value": "zoe.vezina@example.net",
        },
      ]
    `);
  });

  it('passes when no email is taken', async () => {
    const p = path.join(scratch, 'strangers.csv');
    fs.writeFileSync(p, 'email,cohort\nstranger@example.org,creator-x\n');
    const run = await runCli(
      [
        'validate-cohort',
        p,
        '--check-users',
        '--min-total',
        '1',
        '--min-creators',
        '1',
        '--min-labels',
        '1',
      ],
      { db },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✅ existing users     ok');
    expect(run.stdout).not.toContain('🟡 existing users');
  });
});
