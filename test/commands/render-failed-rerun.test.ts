import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitShellWords } from '../../src/core/shell-words.js';
import { normalize, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { emlFiles, manifestOf, senderEnv, writeCohort } from '../helpers/render.js';
import { root } from '../helpers/paths.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const REFUSED = 'person7@example.org';

/** Stands for the host application refusing one address (a rule of its own). */
async function refuseOneAddress(on: boolean): Promise<void> {
  const sql = await db.sql();
  if (on) {
    await sql.unsafe(`
      create function public.test_refuse_one() returns trigger language plpgsql as $$
      begin
        if lower(new.email) = '${REFUSED}' then
          raise exception 'the host application refuses this address';
        end if;
        return new;
      end $$;
      create trigger test_refuse_one before insert on public.beta_invites
        for each row execute function public.test_refuse_one();`);
  } else {
    await sql.unsafe(`
      drop trigger test_refuse_one on public.beta_invites;
      drop function public.test_refuse_one();`);
  }
  await db.release();
}

async function invitesOf(email: string): Promise<number> {
  const sql = await db.sql();
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.beta_invites where lower(email) = ${email}`;
  await db.release();
  return row?.n ?? 0;
}

describe('render: rerunning the failed subset with the command it prints', () => {
  it('renders the one recipient that failed, once, with the exact printed command', async () => {
    const cohort = writeCohort(db.home, 60, 'cohort.csv');
    await refuseOneAddress(true);
    const first = await runCli(['render', cohort, '--out', 'out-launch'], { db, env: senderEnv });
    expect(first.exitCode).toBe(2);
    const out = path.join(db.home, 'out-launch');
    expect(manifestOf(out)).toHaveLength(59);
    const printed = /after fixing the cause: (.+)$/m.exec(first.stdout)?.[1] ?? '';
    expect(printed).toBe('beta-invites render out-launch/failed.csv --out out-launch');
    expect(fs.readFileSync(path.join(out, 'failed.csv'), 'utf8')).toMatchInlineSnapshot(`
      "email,cohort,name,error
      person7@example.org,press-music,Zoë 7,the host application refuses this address
      "
    `);

    await refuseOneAddress(false);
    const [program, ...args] = splitShellWords(printed);
    expect(program).toBe('beta-invites');
    const rerun = await runCli(args, { db, env: senderEnv });
    expect(normalize(rerun.stderr)).toBe('');
    expect(rerun.exitCode).toBe(0);
    const rows = manifestOf(out);
    expect(rows).toHaveLength(60);
    expect(rows.filter((r) => r.email === REFUSED)).toHaveLength(1);
    expect(new Set(rows.map((r) => r.email)).size).toBe(60);
    expect(emlFiles(out)).toHaveLength(60);
    expect(await invitesOf(REFUSED)).toBe(1);
    expect(fs.existsSync(path.join(out, 'failed.csv'))).toBe(false);
  });

  it('still runs the hard checks on a failed.csv', async () => {
    const out = path.join(db.home, 'out-hard');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'manifest.jsonl'), '');
    fs.writeFileSync(
      path.join(out, 'failed.csv'),
      'email,cohort,name,error\nsam@example.org,creator-vinyl,Sam,boom\nSAM@example.org,creator-vinyl,Sam,boom\n',
    );
    const run = await runCli(['render', 'out-hard/failed.csv', '--out', 'out-hard'], {
      db,
      env: senderEnv,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('BLOCKED');
    expect(run.stdout).not.toContain('minimum');
    expect(emlFiles(out)).toEqual([]);
    expect(await invitesOf('sam@example.org')).toBe(0);
  });

  it('does not hand the error column to the templates', async () => {
    const templates = path.join(db.home, 'templates-error');
    fs.cpSync(path.join(root, 'templates/email/beta_invite'), templates, { recursive: true });
    fs.appendFileSync(path.join(templates, 'text.hbs'), '\n{{error}}\n');
    const out = path.join(db.home, 'out-tpl');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'manifest.jsonl'), '');
    fs.writeFileSync(
      path.join(out, 'failed.csv'),
      'email,cohort,name,error\nlou@example.org,creator-vinyl,Lou,boom\n',
    );
    const run = await runCli(
      ['render', 'out-tpl/failed.csv', '--out', 'out-tpl', '--template', templates],
      { db, env: senderEnv },
    );
    expect(run.exitCode).toBe(1);
    expect(normalize(run.stderr, { [templates]: 'TEMPLATES' })).toMatchInlineSnapshot(`
      "beta-invites: TEMPLATES/text.hbs uses {{error}}, which is not a variable
        known variables: code, email, cohort, signup_url, expires_at, feedback_url, name"
    `);
    expect(emlFiles(out)).toEqual([]);
  });
});
