import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailProblem, MAX_EMAIL_LENGTH } from '../../src/core/cohort/email.js';
import { validateCohort } from '../../src/core/cohort/validate.js';
import { UserError } from '../../src/core/errors.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { useTestDatabase, type TestDatabase } from '../helpers/fixtures.js';
import { manifestOf, senderEnv } from '../helpers/render.js';

const options = { minTotal: 0, minCreators: 0, minLabels: 0, checkUsers: false, keep: 20 };
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-hostile-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('the CSV reader and the validator under random input', () => {
  it('turn any bytes into a report, never an unexpected error', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const file = write(`random-${n++}.csv`, bytes);
        const report = await validateCohort(file, options);
        expect(['ok', 'warn', 'blocked']).toContain(report.verdict);
        for (const issue of [...report.errors, ...report.warnings]) {
          expect(issue.line).toBeGreaterThanOrEqual(0);
          expect(typeof issue.message).toBe('string');
        }
      }),
      { numRuns: 150, seed: 20261126 },
    );
  });

  it('survive CSV-shaped noise: quotes, separators, mixed line ends, NULs', async () => {
    const piece = fc.constantFrom(
      '"',
      ',',
      '\n',
      '\r\n',
      '\r',
      '\u0000',
      'a@b.co',
      'creator-x',
      ' ',
      'é',
      '=1+1',
      '',
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 200 }), async (pieces) => {
        const file = write(`noise-${n++}.csv`, 'email,cohort\n' + pieces.join(''));
        const report = await validateCohort(file, options);
        expect(['ok', 'warn', 'blocked']).toContain(report.verdict);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('reads a 100,000-character field and mixed line ends with the right line numbers', async () => {
    const long = 'x'.repeat(100_000);
    const file = write(
      'long.csv',
      `email,cohort,name\r\na@example.org,creator-a,${long}\nb@example.org,creator-b,B\r\nc@@example.org,creator-c,C\n`,
    );
    const report = await validateCohort(file, options);
    expect(report.stats.rows).toBe(3);
    expect(report.errors.map((e) => [e.type, e.line])).toEqual([['invalid-email', 4]]);
  });

  it('reject an embedded NUL in an address', async () => {
    const file = write('nul.csv', 'email,cohort\na\u0000b@example.org,creator-a\n');
    const report = await validateCohort(file, options);
    expect(report.errors.map((e) => e.type)).toEqual(['invalid-email']);
  });
});

describe('the email checker', () => {
  const atext = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,10}$/);
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const address = fc
    .tuple(
      fc.array(atext, { minLength: 1, maxLength: 3 }),
      fc.array(label, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('org', 'fr', 'example'),
    )
    .map(([local, labels, tld]) => `${local.join('.')}@${labels.join('.')}.${tld}`);
  // Valid addresses with a few random characters spliced in: near misses, not just noise.
  const nearMiss = fc
    .tuple(address, fc.string({ maxLength: 3, unit: 'binary' }), fc.nat())
    .map(([email, junk, at]) => {
      const i = at % (email.length + 1);
      return email.slice(0, i) + junk + email.slice(i);
    });

  it('accepts only the practical dot-atom form, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400, unit: 'binary' }), nearMiss), (text) => {
        if (emailProblem(text) !== null) return;
        expect(text.length).toBeLessThanOrEqual(MAX_EMAIL_LENGTH);
        expect(text).toMatch(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$/);
        const [local = '', domain = ''] = text.split('@');
        expect(local).not.toMatch(/^\.|\.\.|\.$/);
        expect(domain).not.toMatch(/^[.-]|\.\.|-\.|\.-|[.-]$/);
      }),
      { numRuns: 5000, seed: 42 },
    );
  });

  it('accepts every address built from the grammar', () => {
    fc.assert(
      fc.property(address, (email) => {
        expect(emailProblem(email)).toBeNull();
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

/** The exit codes the binary may end with: ok, failed, partly done, usage. */
const EXIT_CODES = [0, 1, 2, 64];

/**
 * What every run must look like, whatever the input: a known exit code, no stack trace,
 * at most one error line and its hint on stderr, and with --json one JSON document on
 * stdout (the error as JSON too).
 */
function expectWellBehaved(run: CliResult, json: boolean): void {
  expect(EXIT_CODES).toContain(run.exitCode);
  const lines = run.stderr
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('using embedded database at '));
  expect(lines.filter((l) => /^\s*at /.test(l))).toEqual([]);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines.length > 0) expect(lines[0]).toMatch(/^beta-invites: /);
  if (lines.length > 1) expect(lines[1]).toMatch(/^ {2}\S/);
  if (json) {
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    if (lines.length > 0) expect(doc).toMatchObject({ exitCode: run.exitCode });
  }
}

/** Cohort files a careless export or a hostile one could produce. */
const hostileCsv = fc
  .tuple(
    fc.constantFrom('email,cohort,name\n', 'email,cohort\r\n', '\uFEFFemail,cohort\n', 'e;c\n', ''),
    fc.array(
      fc.constantFrom(
        '"',
        ',',
        '\n',
        '\r\n',
        '\u0000',
        'a@b.co',
        'x@example.org,creator-x,Zoë',
        'creator-x',
        '=cmd|calc',
        '\r\nBcc: victim@evil.test',
        'é',
      ),
      { maxLength: 40 },
    ),
    fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }),
  )
  .map(([header, pieces, bytes]) =>
    Buffer.concat([Buffer.from(header + pieces.join('')), Buffer.from(bytes ?? [])]),
  );

/** Flags a hurried operator or a script could add: some right, some wrong. */
const flags = (wrongValue: string[]) =>
  fc.constantFrom<string[]>(
    [],
    ['--force'],
    ['--keep', '-3'],
    ['--min-total', 'lots'],
    ['--no-such-flag'],
    wrongValue,
  );

describe('the binary under hostile input', () => {
  it('validate-cohort: a known exit code, one error line at most, JSON when asked', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileCsv,
        flags(['--format', 'xml']),
        fc.boolean(),
        async (bytes, extra, json) => {
          const file = write(`cli-${n++}.csv`, bytes);
          const before = fs.readdirSync(dir).sort();
          const args = ['validate-cohort', file, ...extra, ...(json ? ['--json'] : [])];
          const run = await runCli(args, { cwd: dir });
          expectWellBehaved(run, json);
          expect(fs.readdirSync(dir).sort()).toEqual(before);
        },
      ),
      { numRuns: 8, seed: 20261204 },
    );
  });
});

describe('hostile values through render', () => {
  const db: TestDatabase = useTestDatabase();

  async function inviteRows(): Promise<number> {
    const sql = await db.sql();
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.beta_invites`;
    return row?.n ?? -1;
  }

  it('renders or refuses whole: a known exit code, one error line, no rows or folder on failure', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileCsv,
        flags(['--format', 'xml']),
        fc.boolean(),
        async (bytes, extra, json) => {
          const file = write(`render-${n}.csv`, bytes);
          const out = path.join(dir, `out-render-${n++}`);
          const rows = await inviteRows();
          const args = ['render', file, '--out', out, ...extra, ...(json ? ['--json'] : [])];
          const run = await runCli(args, { db, env: senderEnv });
          expectWellBehaved(run, json);
          if (run.exitCode === 1 || run.exitCode === 64) {
            expect(fs.existsSync(out)).toBe(false);
            expect(await inviteRows()).toBe(rows);
          }
        },
      ),
      { numRuns: 4, seed: 1126 },
    );
  });

  it('keeps CSV values out of the headers, escapes them in HTML and neutralises formulas in failed.csv', async () => {
    const sql = await db.sql();
    await sql.unsafe(`
      create or replace function test_reject_formula() returns trigger language plpgsql as $$
      begin
        if new.email = 'formula@example.org' then raise exception '=cmd|calc'; end if;
        return new;
      end $$;
      create trigger test_reject_formula before insert on public.beta_invites
        for each row execute function test_reject_formula();`);
    const rows = [
      'email,cohort,name',
      'eve@example.org,creator-a,"Eve Bcc: victim@evil.test X-Injected: 1"',
      'script@example.org,creator-b,"<script>alert(1)</script><img src=x onerror=alert(2)>"',
      'formula@example.org,creator-c,"=HYPERLINK(""http://evil.test"",""click"")"',
    ];
    // A line break inside a cell is refused before anything is written.
    const crlf = write(
      'hostile-crlf.csv',
      [...rows, 'crlf@example.org,creator-a,"Eve\r\nBcc: victim@evil.test"'].join('\r\n'),
    );
    const refused = path.join(dir, 'out-hostile-crlf');
    const blocked = await runCli(['render', crlf, '--out', refused, '--force'], {
      db,
      env: senderEnv,
    });
    expect(blocked.exitCode).toBe(1);
    expect(fs.existsSync(refused)).toBe(false);
    const cohort = write('hostile.csv', rows.join('\r\n') + '\r\n');
    const out = path.join(dir, 'out-hostile');
    const run = await runCli(['render', cohort, '--out', out, '--force'], { db, env: senderEnv });
    expect(run.exitCode).toBe(2);
    for (const entry of manifestOf(out)) {
      const raw = fs.readFileSync(path.join(out, entry.file));
      const headerBlock = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
      expect(headerBlock).not.toMatch(/^(Bcc|X-Injected):/im);
      const mail = await simpleParser(raw);
      expect(mail.bcc).toBeUndefined();
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(entry.email);
      expect(mail.html).not.toMatch(/<script|<img/i);
    }
    const failed = fs.readFileSync(path.join(out, 'failed.csv'), 'utf8');
    expect(failed).toMatchInlineSnapshot(`
      "email,cohort,name,error
      formula@example.org,creator-c,"'=HYPERLINK(""http://evil.test"",""click"")",'=cmd|calc
      "
    `);
  });
});

describe('errors stay UserErrors', () => {
  it('a missing file is one line, not a stack', async () => {
    await expect(validateCohort(path.join(dir, 'missing.csv'), options)).rejects.toBeInstanceOf(
      UserError,
    );
  });
});
