#!/usr/bin/env node
// Database work the bench runs in a child process, on the database the environment names
// (DATABASE_URL, else BETA_INVITES_HOME), opened the way the binary opens it:
//   node bench/lib/db-task.js insert-floor COHORT.csv   multi-row INSERTs of 1,000, no rendering
//   node bench/lib/db-task.js scan                      open the database, count the invites
//   node bench/lib/db-task.js group-cohorts             open the database, count invites per cohort
//   node bench/lib/db-task.js seed-report N             N invites in one set-based insert
import fs from 'node:fs';
import process from 'node:process';
import readline from 'node:readline';
import { readSettings } from '../../dist/core/config.js';
import { openDatabase } from '../../dist/core/db/open.js';
import { generateCode } from '../../dist/core/render/codes.js';

const BATCH = 1000;

/**
 * The database floor of `render`: the same rows, split naively (the generated cohort has
 * no quoted fields), inserted 1,000 per statement with fresh codes; nothing rendered.
 */
async function insertFloor(sql, file) {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let header = true;
  let rows = [];
  let total = 0;
  const flush = async () => {
    await sql`insert into public.beta_invites ${sql(rows, 'code', 'email', 'cohort')}`;
    total += rows.length;
    rows = [];
  };
  for await (const line of lines) {
    if (header || line === '') {
      header = false;
      continue;
    }
    const [email, cohort] = line.split(',', 2);
    rows.push({ code: generateCode(), email, cohort });
    if (rows.length >= BATCH) await flush();
  }
  if (rows.length > 0) await flush();
  return total;
}

async function scan(sql) {
  const [{ n }] = await sql`select count(*)::int as n from public.beta_invites`;
  return n;
}

/** The floor of `report`: one bare grouping of the table by cohort. Prints the total. */
async function groupCohorts(sql) {
  const rows =
    await sql`select cohort, count(*)::int as n from public.beta_invites group by cohort`;
  return rows.reduce((sum, row) => sum + row.n, 0);
}

/**
 * N invites in one statement, with a mix of cohorts, creation dates over 60 days, 80%
 * sent, 30% redeemed a few hours to days after sending, 2% revoked (never redeemed ones;
 * their expiry is the revocation instant, as `revoke` does), the rest pending or expired
 * depending on their age.
 */
async function seedReport(sql, n) {
  await sql`
    insert into public.beta_invites
      (code, email, cohort, created_at, expires_at, sent_at, used_at, revoked_at)
    select
      'R' || lpad(to_hex(g), 15, '0'),
      'person' || g || '@example.org',
      (array['creator-vinyl-pressing', 'creator-podcast', 'creator-live',
             'listener-jazz-mailing-list', 'listener-classical', 'listener-electro',
             'community-member', 'community-moderator', 'press-music', 'press-tech',
             'partner-label', 'staff'])[1 + (g * 7) % 12],
      c,
      case when g % 50 = 49 then c + interval '2 days' else c + interval '30 days' end,
      case when g % 10 < 8 then c + interval '1 hour' end,
      case when g % 10 < 3 then c + interval '1 hour' + (g % 97) * interval '1 hour' end,
      case when g % 50 = 49 then c + interval '2 days' end
    from generate_series(1, ${n}::int) as g
    cross join lateral (select now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute' as c) as t`;
  await sql`analyze public.beta_invites`;
  return n;
}

const [task, arg] = process.argv.slice(2);
const settings = readSettings(process.env, process.cwd());
const db = await openDatabase(settings, { notice: () => {} });
try {
  let n;
  if (task === 'insert-floor') n = await insertFloor(db.sql, arg);
  else if (task === 'scan') n = await scan(db.sql);
  else if (task === 'group-cohorts') n = await groupCohorts(db.sql);
  else if (task === 'seed-report') n = await seedReport(db.sql, Number(arg));
  else throw new Error(`unknown task ${task}`);
  process.stdout.write(`${n}\n`);
} finally {
  await db.close();
}
