import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { defaultTemplateDir } from '../../src/core/render/templates.js';
import { manifestOf, senderEnv, writeCohort } from '../helpers/render.js';

let db: TestDatabase;

/** A control or invisible character printed raw (line feeds apart). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_HIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\ufeff]/;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function write(name: string, content: string): string {
  const file = path.join(db.home, name);
  fs.writeFileSync(file, content);
  return file;
}

function render(args: string[]): Promise<CliResult> {
  return runCli(['render', ...args], { db, env: senderEnv });
}

async function invitesOf(prefix: string) {
  const sql = await db.sql();
  return sql<{ email: string; cohort: string }[]>`
    select email, cohort from public.beta_invites where email like ${'%' + prefix + '%'} order by email`;
}

// Several runs of the real binary per test: slow on a busy machine.
describe('render under hostile input', { timeout: 240_000 }, () => {
  it('neutralises every failed.csv cell, and a rerun of it reads the same recipients', async () => {
    const sql = await db.sql();
    await sql.unsafe(`
      create or replace function test_reject_dash() returns trigger language plpgsql as $$
      begin
        if new.email like '-%' then raise exception '=blocked by policy'; end if;
        return new;
      end $$;
      create trigger test_reject_dash before insert on public.beta_invites
        for each row execute function test_reject_dash();`);
    const cohort = write(
      'formulas.csv',
      [
        'email,cohort,name',
        'plain-formula@example.org,creator-a,Ana',
        '-dash-formula@example.org,"=HYPERLINK(""http://evil.test"")",@SUM(A1)',
        '"-plus-formula@example.org",+creator,-Bob',
      ].join('\n') + '\n',
    );
    const out = path.join(db.home, 'out-formulas');
    const run = await render([cohort, '--out', out, '--force']);
    expect(run.exitCode).toBe(2);
    expect(fs.readFileSync(path.join(out, 'failed.csv'), 'utf8')).toMatchInlineSnapshot(`
      "email,cohort,name,error
      '-dash-formula@example.org,"'=HYPERLINK(""http://evil.test"")",'@SUM(A1),'=blocked by policy
      '-plus-formula@example.org,'+creator,'-Bob,'=blocked by policy
      "
    `);

    await (await db.sql()).unsafe('drop trigger test_reject_dash on public.beta_invites');
    const rerun = await render([path.join(out, 'failed.csv'), '--out', out, '--force']);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(await invitesOf('-formula@')).toEqual([
      { email: '-dash-formula@example.org', cohort: '=HYPERLINK("http://evil.test")' },
      { email: '-plus-formula@example.org', cohort: '+creator' },
      { email: 'plain-formula@example.org', cohort: 'creator-a' },
    ]);
    const manifest = manifestOf(out);
    expect(manifest.map((m) => m.email).sort()).toEqual([
      '-dash-formula@example.org',
      '-plus-formula@example.org',
      'plain-formula@example.org',
    ]);
    const dash = manifest.find((m) => m.email.startsWith('-dash'));
    const text = fs.readFileSync(path.join(out, dash?.file ?? ''), 'utf8');
    expect(text).toContain('@SUM(A1)');
    expect(text).not.toContain("'@SUM(A1)");
    expect(fs.existsSync(path.join(out, 'failed.csv'))).toBe(false);
  });

  it('refuses {{{raw}}} in the HTML part and {{log}} at template load: nothing written, no invite', async () => {
    const cohort = writeCohort(db.home, 8, 'tpl.csv', 'tpl');
    const cases: [string, (source: string) => string, string[]][] = [
      ['html.hbs', (html) => html.replace('{{code}}', '{{{code}}}'), []],
      ['text.hbs', (text) => `${text}\n{{log email}}\n`, ['--json']],
    ];
    const said: string[] = [];
    for (const [part, edit, extra] of cases) {
      const templates = fs.mkdtempSync(path.join(db.home, 'tpl-'));
      fs.cpSync(defaultTemplateDir, templates, { recursive: true });
      const file = path.join(templates, part);
      fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
      const out = path.join(db.home, `out-${part}`);
      const run = await render([
        cohort,
        '--out',
        out,
        '--template',
        templates,
        '--force',
        ...extra,
      ]);
      expect(run.exitCode).toBe(1);
      // With --json the refusal is also one JSON document on stdout.
      if (extra.includes('--json'))
        expect(JSON.parse(run.stdout) as { exitCode: number; error: string }).toMatchObject({
          exitCode: 1,
          error: expect.stringContaining(part) as string,
        });
      else expect(run.stdout).toBe('');
      said.push(normalize(run.stderr, { [templates]: 'TPL' }));
      expect(fs.existsSync(out)).toBe(false);
    }
    expect(said.join('\n')).toMatchInlineSnapshot(`
      "beta-invites: TPL/html.hbs, line 13: {{{code}}} would put the value into the HTML part unescaped
        write {{code}}: the HTML part escapes every value
      beta-invites: TPL/text.hbs, line 26: {{log …}} is not allowed: it would print to the terminal while rendering
        remove it; to see what the emails hold, render with --dry-run and open the .eml files"
    `);
    expect(await invitesOf('tpl')).toEqual([]);
  });

  it('refuses control and invisible characters in any cell, printing them escaped', async () => {
    const cohort = write(
      'hidden.csv',
      [
        'email,cohort,name',
        'esc@example.org,"creator-\x1b]0;owned\x07",Esc',
        'crlf@example.org,creator-a,"Line\r\nBreak"',
        'nul@example.org,creator-a,N\u0000ul',
        'zw@example.org,creator\u200b-a,Zoë',
        'bidi@example.org,creator-a,\u202etxt.exe',
        'bom@example.org,creator-a,x\ufeffy',
        'c1@example.org,creator-a,\u009b31m',
        'fine@example.org,creator-a,Fine',
      ].join('\n') + '\n',
    );
    const run = await runCli(['validate-cohort', cohort, '--force'], { db });
    expect(run.exitCode).toBe(1);
    const printed = run.stdout.split('\n').filter((l) => /holds|characters/.test(l));
    expect(printed.join('\n')).toMatchInlineSnapshot(`
      "🔴 characters         7 cells with a control or invisible character
           line 2: "creator-\\u001b]0;owned\\u0007" cohort holds U+001B (ESC): retype the value without it
           line 3: "Line\\nBreak" name holds U+000A (line feed): retype the value without it
           line 5: "N\\u0000ul" name holds U+0000 (NUL): retype the value without it
           line 6: "creator\\u200b-a" cohort holds U+200B (zero-width space): retype the value without it
           line 7: "\\u202etxt.exe" name holds U+202E (right-to-left override): retype the value without it
           line 8: "x\\ufeffy" name holds U+FEFF (zero-width no-break space): retype the value without it
           line 9: "\\x9b31m" name holds U+009B (control character): retype the value without it"
    `);
    expect(run.stdout + run.stderr).not.toMatch(RAW_HIDDEN);
    const json = await runCli(['validate-cohort', cohort, '--json'], { db });
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      errors: { line: number; field: string; message: string }[];
    };
    expect(parsed.errors.map((e) => `${e.line} ${e.field}: ${e.message}`)).toMatchInlineSnapshot(`
      [
        "2 cohort: cohort holds U+001B (ESC): retype the value without it",
        "3 name: name holds U+000A (line feed): retype the value without it",
        "5 name: name holds U+0000 (NUL): retype the value without it",
        "6 cohort: cohort holds U+200B (zero-width space): retype the value without it",
        "7 name: name holds U+202E (right-to-left override): retype the value without it",
        "8 name: name holds U+FEFF (zero-width no-break space): retype the value without it",
        "9 name: name holds U+009B (control character): retype the value without it",
      ]
    `);
    const rendered = await render([cohort, '--out', path.join(db.home, 'out-hidden'), '--force']);
    expect(rendered.exitCode).toBe(1);
    expect(fs.existsSync(path.join(db.home, 'out-hidden'))).toBe(false);
    // A value that reached the database some other way is printed escaped by every printer.
    await (await db.sql())`
      insert into public.beta_invites (code, email, cohort, expires_at)
      values ('HIDDENCHARS23456', 'raw@example.org', ${'zz-\x1b]0;owned\x07\u202e'}, now() + interval '1 day')`;
    const report = await runCli(['report', '--cohort', 'zz-'], { db });
    expect(report.exitCode).toBe(0);
    expect(report.stdout).toContain('zz-\\x1b]0;owned\\x07\\u202e');
    expect(report.stdout).not.toMatch(RAW_HIDDEN);
  });

  it('names a damaged manifest line in send and render, and the way back works', async () => {
    const cohort = writeCohort(db.home, 6, 'damaged.csv', 'damaged');
    const out = path.join(db.home, 'out-damaged');
    expect((await render([cohort, '--out', out, '--force'])).exitCode).toBe(0);
    const codes = manifestOf(out)
      .map((m) => m.code)
      .sort();
    const file = path.join(out, 'manifest.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').slice(0, 40);
    const damaged = lines.join('\n');
    fs.writeFileSync(file, damaged);
    const names = { [out]: 'DIR', [cohort]: 'COHORT' };

    const send = await runCli(['send', out], { db });
    expect(send.exitCode).toBe(1);
    expect(normalize(send.stderr, names)).toMatchInlineSnapshot(`
      "beta-invites: DIR/manifest.jsonl: line 2 is not JSON (Unexpected end of JSON input)
        remove or fix line 2 of DIR/manifest.jsonl, then rerun beta-invites render COHORT.csv --out DIR: the invites are reused, not duplicated"
    `);
    const again = await render([cohort, '--out', out, '--force']);
    expect(again.exitCode).toBe(1);
    expect(normalize(again.stderr, names)).toMatchInlineSnapshot(`
      "beta-invites: DIR/manifest.jsonl: line 2 is not JSON (Unexpected end of JSON input)
        remove or fix line 2 of DIR/manifest.jsonl, then rerun beta-invites render COHORT --out DIR: the invites are reused, not duplicated"
    `);
    expect(fs.readFileSync(file, 'utf8')).toBe(damaged);

    // What the hint says: remove the line, render again.
    fs.writeFileSync(file, lines.filter((_, i) => i !== 1).join('\n'));
    expect((await render([cohort, '--out', out, '--force'])).exitCode).toBe(0);
    expect(
      manifestOf(out)
        .map((m) => m.code)
        .sort(),
    ).toEqual(codes);
    expect(await invitesOf('damaged')).toHaveLength(6);
    expect((await runCli(['send', out], { db })).exitCode).toBe(0);
  });
});
