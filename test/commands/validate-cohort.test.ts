import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import { bin, root } from '../helpers/paths.js';
import { useScratchDir } from '../helpers/fixtures.js';

// No database is needed here: a home that must stay empty proves none was opened.
const home = useScratchDir('bi-vc-home-');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-vc-'));
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function validate(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await runCli(['validate-cohort', ...args], {
    cwd: root,
    env: { BETA_INVITES_HOME: home, ...env },
  });
  expect(fs.readdirSync(home)).toEqual([]);
  return result;
}

/** Only the lines about problems (the report minus passing checks and the distribution). */
function problems(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => /^(🔴|🟡)|^ {5}|^(BLOCKED|WARN|OK)/.test(l))
    .join('\n');
}

function write(name: string, content: string): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, content);
  return p;
}

describe('validate-cohort: exit 0', () => {
  it('accepts the sample cohort with the full report', async () => {
    const run = await validate(['fixtures/cohort.csv']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatchInlineSnapshot(`
      "fixtures/cohort.csv: 60 recipients, 6 labels (columns: email, cohort, name, locale)
      ✅ encoding           ok
      ✅ CSV syntax         ok
      ✅ header             ok
      ✅ column count       ok
      ✅ characters         ok
      ✅ email syntax       ok
      ✅ duplicates         ok
      ✅ cohort labels      ok
      ✅ likely duplicates  ok
      ✅ total              60 recipients (minimum 50)
      ✅ creators           11 creator rows (minimum 5)
      ✅ distinct labels    6 labels (minimum 3)

      Distribution by cohort:
        community-member                  16   26.7%
        listener-jazz-mailing-list        16   26.7%
        listener-classical                 9   15.0%
        press-music                        8   13.3%
        creator-vinyl-pressing             7   11.7%
        creator-podcast                    4    6.7%

      OK: the cohort is valid."
    `);
  });

  it('accepts BOM, CRLF, quotes and spaces around fields, but no line break inside a cell', async () => {
    const run = await validate([
      'fixtures/bom-crlf.csv',
      '--min-total',
      '6',
      '--min-creators',
      '3',
      '--min-labels',
      '5',
    ]);
    // The fixture's one line break inside quotes ("Noé⏎Périer") is the only problem.
    expect(run.exitCode).toBe(1);
    expect(problems(run.stdout)).toMatchInlineSnapshot(`
      "🔴 characters         1 cell with a control or invisible character
           line 6: "Noé\\nPérier" name holds U+000A (line feed): retype the value without it
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });
});

describe('validate-cohort: hard checks exit 1, even with --force', () => {
  async function blocked(name: string): Promise<string> {
    const run = await validate([`fixtures/${name}`, '--force']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('');
    return problems(run.stdout);
  }

  it('malformed emails', async () => {
    expect(await blocked('malformed-emails.csv')).toMatchInlineSnapshot(`
      "🔴 email syntax       17 malformed emails
           line 3: ".elodie@example.org" email local part has a leading, trailing or doubled dot
           line 4: "elodie.@example.org" email local part has a leading, trailing or doubled dot
           line 5: "elo..die@example.org" email local part has a leading, trailing or doubled dot
           line 6: "elodie.example.org" email has no @
           line 7: "elodie@lefevre@example.org" email has more than one @
           line 8: "elodie@localhost" email domain has no dot
           line 9: "elodie lefevre@example.org" email contains a space
           line 10: "\\"elodie\\"@example.org" email local part has a character that is not allowed (")
           line 11: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." email is longer than 320 characters
           line 12: "elodie@-example.org" email domain is not a valid host name
           line 13: "elodie@exa_mple.org" email domain is not a valid host name
           line 14: "elodie@example.123" email domain ends in a number
           line 15: "@example.org" email has nothing before the @
           line 16: "elodie@" email has no domain
           line 17: email is empty
           line 18: "élodie@example.org" email local part has a character that is not allowed (é)
           line 19: "elodie@[192.0.2.1]" email domain is not a valid host name
      🟡 total              18 recipients (minimum 50)
      🟡 creators           0 creator rows (minimum 5)
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('duplicates, every row involved, and likely duplicates', async () => {
    expect(await blocked('duplicates.csv')).toMatchInlineSnapshot(`
      "🔴 duplicates         5 rows with a duplicate email
           line 2: "elodie.lefevre@example.org" the same email appears again on line 4
           line 3: "francois.mercier@example.net" the same email appears again on line 11
           line 4: "Elodie.Lefevre@Example.ORG" duplicate of line 2
           line 5: "elodie.lefevre@example.org" duplicate of line 2
           line 11: "FRANCOIS.MERCIER@EXAMPLE.NET" duplicate of line 3
      🟡 likely duplicates  3 likely duplicates (dots or +tag)
           line 7: "zoevezina@gmail.com" probably the same mailbox as zoe.vezina@gmail.com (line 6)
           line 8: "zoe.vezina+beta@googlemail.com" probably the same mailbox as zoe.vezina@gmail.com (line 6)
           line 10: "anais.guerin+launch@example.org" probably the same mailbox as anais.guerin@example.org (line 9)
      🟡 total              10 recipients (minimum 50)
      🟡 creators           2 creator rows (minimum 5)
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('ragged rows', async () => {
    expect(await blocked('ragged.csv')).toMatchInlineSnapshot(`
      "🔴 column count       3 ragged rows
           line 3: "francois.mercier@example.net,creator-podcast" row has 2 fields, the header has 3
           line 4: "zoe.vezina@example.org,press-music,Zoë Vézina,fr-CA" row has 4 fields, the header has 3
           line 6: "noe.perier@example.org" row has 1 field, the header has 3
      🟡 total              5 recipients (minimum 50)
      🟡 creators           1 creator row (minimum 5)
      🟡 distinct labels    2 labels (minimum 3)
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('a file that is not UTF-8', async () => {
    expect(await blocked('latin1.csv')).toMatchInlineSnapshot(`
      "🔴 encoding           1 file is not UTF-8
           line 3: file is not UTF-8: save it as UTF-8 and rerun
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('a header without email or cohort', async () => {
    expect(await blocked('wrong-header.csv')).toMatchInlineSnapshot(`
      "🔴 header             2 header problems
           line 1: "mail,group,name" header has no "email" column
           line 1: "mail,group,name" header has no "cohort" column
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('an empty file', async () => {
    expect(await blocked('empty.csv')).toMatchInlineSnapshot(`
      "🔴 header             1 header problem
           line 1: file is empty: expected a header line email,cohort
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('an empty cohort label and one over 64 characters', async () => {
    expect(await blocked('bad-cohort.csv')).toMatchInlineSnapshot(`
      "🔴 cohort labels      3 empty or too long cohorts
           line 3: cohort is empty
           line 5: "creator-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." cohort is longer than 64 characters
           line 6: cohort is empty
      🟡 total              5 recipients (minimum 50)
      🟡 creators           1 creator row (minimum 5)
      🟡 distinct labels    2 labels (minimum 3)
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('an unclosed quote', async () => {
    expect(await blocked('unclosed-quote.csv')).toMatchInlineSnapshot(`
      "🔴 CSV syntax         1 CSV syntax error
           line 3: a quoted field starts on this row and is never closed
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('a label outside --labels', async () => {
    const run = await validate([
      'fixtures/small.csv',
      '--labels',
      'community-member, creator-vinyl-pressing',
      '--force',
    ]);
    expect(run.exitCode).toBe(1);
    expect(problems(run.stdout)).toMatchInlineSnapshot(`
      "🔴 allowed labels     1 label not in --labels
           line 3: "listener-jazz-mailing-list" cohort "listener-jazz-mailing-list" is not in --labels
      🟡 total              3 recipients (minimum 50)
      🟡 creators           1 creator row (minimum 5)
      BLOCKED: 1 hard check failed; fix the file and rerun."
    `);
  });

  it('shows the first 20 offending rows of a check, then how many more', async () => {
    const p = write(
      'many-bad.csv',
      'email,cohort\n' + Array.from({ length: 25 }, (_, i) => `bad${i + 1},c\n`).join(''),
    );
    const run = await validate([p]);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.filter((l) => l.includes('email has no @'))).toHaveLength(20);
    expect(lines.find((l) => l.includes('more'))).toMatchInlineSnapshot(
      `"     … and 5 more (--json lists all)"`,
    );
  });
});

describe('validate-cohort: soft checks exit 2, or 0 when forced', () => {
  it('warns below the thresholds', async () => {
    const run = await validate(['fixtures/small.csv']);
    expect(run.exitCode).toBe(2);
    expect(problems(run.stdout)).toMatchInlineSnapshot(`
      "🟡 total              3 recipients (minimum 50)
      🟡 creators           1 creator row (minimum 5)
      WARN: soft checks failed; rerun with --force (or FORCE=1) to proceed anyway."
    `);
  });

  it('takes the thresholds as flags', async () => {
    const run = await validate([
      'fixtures/small.csv',
      '--min-total',
      '3',
      '--min-creators',
      '2',
      '--min-labels',
      '4',
    ]);
    expect(run.exitCode).toBe(2);
    expect(problems(run.stdout)).toMatchInlineSnapshot(`
      "🟡 creators           1 creator row (minimum 2)
      🟡 distinct labels    3 labels (minimum 4)
      WARN: soft checks failed; rerun with --force (or FORCE=1) to proceed anyway."
    `);
    const lowered = await validate([
      'fixtures/small.csv',
      '--min-total',
      '3',
      '--min-creators',
      '1',
    ]);
    expect(lowered.exitCode).toBe(0);
  });

  it('exits 0 with --force', async () => {
    const run = await validate(['fixtures/small.csv', '--force']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').at(-1)).toMatchInlineSnapshot(
      `"WARN (forced): soft checks failed; proceeding because of --force/FORCE=1."`,
    );
  });

  it('exits 0 with FORCE=1 (and 2 with FORCE=0)', async () => {
    const run = await validate(['fixtures/small.csv'], { FORCE: '1' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').at(-1)).toMatchInlineSnapshot(
      `"WARN (forced): soft checks failed; proceeding because of --force/FORCE=1."`,
    );
    expect((await validate(['fixtures/small.csv'], { FORCE: '0' })).exitCode).toBe(2);
  });
});

describe('validate-cohort: usage errors exit 64', () => {
  it('names the flag and what it expects, on stderr only', async () => {
    const cases = [
      ['fixtures/small.csv', '--bogus'],
      [],
      ['fixtures/small.csv', '--min-total', 'abc'],
      ['fixtures/small.csv', '--min-total', ''],
      ['fixtures/small.csv', '--min-creators', '-1'],
      ['fixtures/small.csv', '--min-labels', '2.5'],
      ['fixtures/small.csv', '--format', 'xml'],
      ['fixtures/small.csv', '--labels', ' , '],
    ];
    const runs = await Promise.all(cases.map((args) => validate(args)));
    expect(runs.map((r) => r.exitCode)).toEqual(cases.map(() => 64));
    expect(runs.map((r) => r.stdout)).toEqual(cases.map(() => ''));
    expect(runs.map((r) => r.stderr)).toMatchInlineSnapshot(`
      [
        "beta-invites: unknown option '--bogus'
        see beta-invites --help",
        "beta-invites: missing required argument 'cohort.csv'
        see beta-invites --help",
        "beta-invites: --min-total: expected a whole number ≥ 0 (got "abc")
        see beta-invites validate-cohort --help",
        "beta-invites: --min-total: expected a whole number ≥ 0 (got "")
        see beta-invites validate-cohort --help",
        "beta-invites: --min-creators: expected a whole number ≥ 0 (got "-1")
        see beta-invites validate-cohort --help",
        "beta-invites: --min-labels: expected a whole number ≥ 0 (got "2.5")
        see beta-invites validate-cohort --help",
        "beta-invites: --format: expected text, json or github
        see beta-invites validate-cohort --help",
        "beta-invites: --labels: expected a comma-separated list, e.g. a,b,c
        see beta-invites validate-cohort --help",
      ]
    `);
  });
});

describe('validate-cohort: files that cannot be read exit 1', () => {
  it('a missing file', async () => {
    const run = await validate(['fixtures/nope.csv']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.replace(root, 'ROOT')).toMatchInlineSnapshot(`
      "beta-invites: cannot read fixtures/nope.csv: no such file
        check the path; the current folder is ROOT"
    `);
  });

  it('a directory', async () => {
    const run = await validate(['fixtures']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatchInlineSnapshot(`
      "beta-invites: cannot read fixtures: is a directory
        pass the cohort CSV file itself, not its folder"
    `);
  });

  it('a file without read permission', async () => {
    const p = write('secret.csv', 'email,cohort\n');
    fs.chmodSync(p, 0o000);
    fs.chmodSync(scratch, 0o755);
    // root reads anything: drop to "nobody" to see what an operator sees.
    const asNobody =
      process.getuid?.() === 0
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
        : [];
    const [cmd = process.execPath, ...rest] = [...asNobody, process.execPath];
    const run = await execa(cmd, [...rest, bin, 'validate-cohort', p], {
      cwd: os.tmpdir(),
      env: cleanEnv({ BETA_INVITES_HOME: home }),
      extendEnv: false,
      reject: false,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.replace(scratch, 'SCRATCH')).toMatchInlineSnapshot(`
      "beta-invites: cannot read SCRATCH/secret.csv: permission denied
        check the file permissions (ls -l), or copy the file somewhere readable"
    `);
  });
});
