import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { emlFiles, manifestOf, senderEnv, writeCohort } from '../helpers/render.js';
import { useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();

const render = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['render', ...args], { db, env: { ...senderEnv, ...env } });

async function invites(where = 'all') {
  const sql = await db.sql();
  const rows = await sql<{ email: string; code: string; cohort: string; sent_by: string | null }[]>`
    select email, code, cohort, sent_by::text from public.beta_invites
    where ${where === 'all' ? sql`true` : sql`email like ${where + '%'}`} order by email`;
  return rows;
}

const clean = (text: string) => normalize(text, { [db.home]: 'HOME' });

describe('render', () => {
  it('creates N invites and N .eml files, and a rerun converges', async () => {
    const cohort = writeCohort(db.home, 60, 'first.csv', 'first');
    const out = path.join(db.home, 'out-first');
    const run = await render([cohort, '--out', out]);
    expect(run.exitCode).toBe(0);
    expect(clean(run.stdout)).toMatchInlineSnapshot(`
      "Rendered 60 invitation(s) into out-first/: 60 new invite(s), 0 reused.
        review:   beta-invites review out-first --open
        manifest: out-first/manifest.jsonl
        next:     beta-invites send out-first   (a dry run; add --confirm to send)"
    `);
    const rows = await invites('first');
    expect(rows).toHaveLength(60);
    const files = emlFiles(out);
    expect(files).toHaveLength(60);
    expect(files[0]).toBe('00001-first0_example.org.eml');
    const manifest = manifestOf(out);
    expect(manifest).toHaveLength(60);
    for (const entry of manifest) {
      const bytes = fs.readFileSync(path.join(out, entry.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
      expect(rows.find((r) => r.email === entry.email)?.code).toBe(entry.code);
    }
    const before = new Map(files.map((f) => [f, fs.readFileSync(path.join(out, f))]));

    const again = await render([cohort, '--out', out]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('0 new invite(s), 60 reused');
    expect(await invites('first')).toEqual(rows);
    expect(emlFiles(out)).toEqual(files);
    for (const [f, bytes] of before)
      expect(fs.readFileSync(path.join(out, f)).equals(bytes)).toBe(true);
    expect(fs.existsSync(path.join(out, 'failed.csv'))).toBe(false);
  });

  it('isolates a recipient that fails inside the database, and failed.csv reruns exactly it', async () => {
    const sql = await db.sql();
    await sql.unsafe(`
      create or replace function test_reject() returns trigger language plpgsql as $$
      begin
        if new.email = 'second3@example.org' then raise exception 'mailbox blocked by policy'; end if;
        return new;
      end $$;
      create trigger test_reject before insert on public.beta_invites
        for each row execute function test_reject();`);
    const cohort = writeCohort(db.home, 12, 'second.csv', 'second');
    const out = path.join(db.home, 'out-second');
    const run = await render([cohort, '--out', out, '--force']);
    expect(run.exitCode).toBe(2);
    expect(clean(run.stdout)).toMatchInlineSnapshot(`
      "Rendered 11 invitation(s) into out-second/: 11 new invite(s), 0 reused.
      1 recipient(s) failed; they are listed with the reason in out-second/failed.csv.
        after fixing the cause: beta-invites render out-second/failed.csv --out out-second --force
        review:   beta-invites review out-second --open
        manifest: out-second/manifest.jsonl
        next:     beta-invites send out-second   (a dry run; add --confirm to send)"
    `);
    expect(fs.readFileSync(path.join(out, 'failed.csv'), 'utf8')).toMatchInlineSnapshot(`
      "email,cohort,name,error
      second3@example.org,press-music,Zoë 3,mailbox blocked by policy
      "
    `);
    expect((await invites('second')).map((r) => r.email)).not.toContain('second3@example.org');
    expect(await invites('second')).toHaveLength(11);
    expect(emlFiles(out)).toHaveLength(11);

    const sql2 = await db.sql();
    await sql2.unsafe('drop trigger test_reject on public.beta_invites');
    const rerun = await render([path.join(out, 'failed.csv'), '--out', out, '--force']);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.stdout).toContain('Rendered 1 invitation(s)');
    expect(await invites('second')).toHaveLength(12);
    expect(emlFiles(out)).toHaveLength(12);
    const manifest = manifestOf(out);
    expect(manifest.map((m) => m.email).sort()).toEqual(
      (await invites('second')).map((r) => r.email).sort(),
    );
    expect(fs.existsSync(path.join(out, 'failed.csv'))).toBe(false);
  });

  it('records --sent-by and refuses an unknown operator before writing anything', async () => {
    const sql = await db.sql();
    const [user] = await sql<{ id: string }[]>`
      insert into public.users (email) values ('operator@example.org') returning id::text`;
    const cohort = writeCohort(db.home, 8, 'third.csv', 'third');
    const unknown = await render([
      cohort,
      '--out',
      path.join(db.home, 'out-x'),
      '--force',
      '--sent-by',
      'nobody@example.org',
    ]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain(
      'beta-invites: --sent-by: no user nobody@example.org in public.users',
    );
    expect(await invites('third')).toHaveLength(0);
    expect(fs.existsSync(path.join(db.home, 'out-x'))).toBe(false);

    const ok = await render([
      cohort,
      '--out',
      path.join(db.home, 'out-third'),
      '--force',
      '--sent-by',
      'OPERATOR@example.org',
    ]);
    expect(ok.exitCode).toBe(0);
    expect((await invites('third')).every((r) => r.sent_by === user?.id)).toBe(true);
  });

  it('blocks on an invalid cohort or unforced soft checks, writing nothing', async () => {
    const out = path.join(db.home, 'out-bad');
    const bad = await render([fixture('duplicates.csv'), '--out', out]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('Nothing was rendered and nothing was written to the database.');
    const small = writeCohort(db.home, 3, 'small.csv', 'small');
    const soft = await render([small, '--out', out]);
    expect(soft.exitCode).toBe(2);
    expect(soft.stdout).toContain(
      'Nothing was rendered: rerun with --force (or FORCE=1) to render this cohort anyway.',
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(await invites('small')).toHaveLength(0);
    const forced = await render([small, '--out', out], { FORCE: '1' });
    expect(forced.exitCode).toBe(0);
  });

  it('refuses placeholders, unknown template variables and an unwritable folder before any insert', async () => {
    const cohort = writeCohort(db.home, 4, 'fourth.csv', 'fourth');
    const out = path.join(db.home, 'out-fourth');
    const placeholder = await render([cohort, '--out', out, '--force'], {
      INVITE_FEEDBACK_URL: 'https://typeform.com/to/TODO',
    });
    expect(placeholder.exitCode).toBe(1);
    expect(placeholder.stderr).toMatchInlineSnapshot(`
      "beta-invites: the feedback URL "https://typeform.com/to/TODO" is still a placeholder
        put the real URL in --feedback-url or INVITE_FEEDBACK_URL"
    `);
    const tpl = path.join(db.home, 'tpl');
    fs.mkdirSync(tpl);
    fs.writeFileSync(path.join(tpl, 'subject.hbs'), 'Invitation');
    fs.writeFileSync(path.join(tpl, 'text.hbs'), 'Bonjour {{prenom}} {{code}}');
    fs.writeFileSync(path.join(tpl, 'html.hbs'), '<p>{{code}}</p>');
    const unknown = await render([cohort, '--out', out, '--force', '--template', tpl]);
    expect(unknown.exitCode).toBe(1);
    expect(clean(unknown.stderr)).toMatchInlineSnapshot(`
      "beta-invites: HOME/tpl/text.hbs uses {{prenom}}, which is not a variable
        known variables: code, email, cohort, signup_url, expires_at, feedback_url, name"
    `);
    const file = path.join(db.home, 'a-file');
    fs.writeFileSync(file, '');
    const unwritable = await render([cohort, '--out', path.join(file, 'sub'), '--force']);
    expect(unwritable.exitCode).toBe(1);
    expect(clean(unwritable.stderr)).toMatchInlineSnapshot(`
      "beta-invites: cannot write to the output folder HOME/a-file/sub: a parent is not a folder
        choose another folder with --out"
    `);
    expect(fs.existsSync(out)).toBe(false);
    expect(await invites('fourth')).toHaveLength(0);
  });

  it('does not invite again a recipient whose invite was revoked', async () => {
    const cohort = writeCohort(db.home, 6, 'sixth.csv', 'sixth');
    const out = path.join(db.home, 'out-sixth');
    expect((await render([cohort, '--out', out, '--force'])).exitCode).toBe(0);
    const sql = await db.sql();
    await sql`update public.beta_invites
      set expires_at = now(), revoked_at = now(), revoke_reason = 'forwarded to a friend'
      where email = 'sixth2@example.org'`;
    const rerun = await render([cohort, '--out', out, '--force']);
    expect(rerun.exitCode).toBe(2);
    expect(rerun.stdout).toContain(
      'Rendered 5 invitation(s) into out-sixth/: 0 new invite(s), 5 reused.',
    );
    const failed = fs.readFileSync(path.join(out, 'failed.csv'), 'utf8').split('\r\n');
    expect(failed[1]).toMatch(
      /^sixth2@example\.org,listener-jazz,Zoë 2,invite revoked on \S+ \(forwarded to a friend\): not invited again; remove the row from the cohort$/,
    );
    expect(await invites('sixth')).toHaveLength(6);
  });

  it('says which flag is wrong', async () => {
    const run = await render([fixture('cohort.csv'), '--expires-in', 'soon']);
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toMatchInlineSnapshot(`
      "beta-invites: --expires-in: "soon" is not a duration
        use a number and a unit: 30d, 12h, 90m, 2w, 45s"
    `);
  });

  it('prints a JSON summary with --json', async () => {
    const cohort = writeCohort(db.home, 4, 'fifth.csv', 'fifth');
    const run = await render([
      cohort,
      '--out',
      path.join(db.home, 'out-fifth'),
      '--force',
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      kind: 'rendered',
      rendered: 4,
      created: 4,
      reused: 0,
      failed: 0,
      interrupted: false,
      dryRun: false,
    });
  });
});

describe('render --dry-run', () => {
  it('renders preview codes without any database, even an unreachable one', async () => {
    const out = path.join(db.home, 'out-preview');
    const run = await runCli(['render', fixture('cohort.csv'), '--out', out, '--dry-run'], {
      env: { ...senderEnv, DATABASE_URL: 'postgres://ops:s3cret@127.0.0.1:1/launch' },
      cwd: db.home,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Preview: 60 invitation(s) with PREVIEW codes in out-preview/');
    expect(run.stderr).toBe('');
    const manifest = manifestOf(out);
    expect(manifest).toHaveLength(60);
    expect(manifest.every((m) => m.preview === true && m.code.startsWith('PREVIEW'))).toBe(true);
  });
});
