import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonLines } from '../../src/core/outdir/json-lines.js';
import { manifestEntry, type ManifestEntry } from '../../src/core/outdir/manifest.js';
import { sentLine } from '../../src/core/send/ledger.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/database.js';
import { addresses, makeOutdir, type Outdir } from '../helpers/outdir.js';
import { senderEnv, writeCohort } from '../helpers/render.js';
import { onTheWire, startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { listing, manifestProblem, orphanEml, strictJsonLines } from './helpers/folder.js';
import { exited, prng, sleep, startCli, waitFor } from './helpers/process.js';

/**
 * Crash at any point: the real `render` and `send` binaries are SIGKILLed at seeded random
 * moments, several times in a row on the same folder (a crash during recovery is a crash
 * too), then run to completion: 30 kills of each binary (120 with `BI_SLOW=1`). After every
 * kill and at the end, the promises of the spec are checked against the database, the
 * files and what the SMTP relay got. PostgreSQL server only: the database must outlive the
 * killed client (the embedded one lives inside it).
 */
const SLOW = process.env.BI_SLOW === '1';
const FOLDERS = SLOW ? 24 : 6;
const KILLS = 5;
const RECIPIENTS = 40;
const CONCURRENCY = 4;
/** Messages in flight at once, the most a crash can repeat: twice the concurrency. */
const WINDOW = 2 * CONCURRENCY;
const SEED = 20_260_508;

let db: TestDatabase;
let sink: SmtpSink;

type Moment = 'before' | 'during' | 'after';

/** How a kill landed: before the work showed, in the middle of it, or after it ended. */
function tally(moments: Moment[]): Record<Moment, number> {
  const t = { before: 0, during: 0, after: 0 };
  for (const m of moments) t[m]++;
  return t;
}

describe.runIf(dbKind === 'server')('crash at any point (SIGKILL)', { timeout: 900_000 }, () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await db?.drop();
  });

  it(`render: ${FOLDERS * KILLS} seeded kills, then one invite per recipient and a whole folder`, async () => {
    const moments: Moment[] = [];
    for (let i = 0; i < FOLDERS; i++) moments.push(...(await renderFolder(i)));
    console.log('render kills landed', tally(moments));
    // The harness must really hit the work, not only before or after it.
    expect(tally(moments).during).toBeGreaterThanOrEqual(Math.ceil(moments.length / 4));
  });

  it(`send: ${FOLDERS * KILLS} seeded kills, then everyone emailed, duplicates ≤ ${WINDOW} per crash`, async () => {
    const results: SendFolderResult[] = [];
    for (let i = 0; i < FOLDERS; i++) results.push(await sendFolder(i));
    const moments = results.flatMap((r) => r.moments);
    const torn = results.reduce((n, r) => n + r.torn, 0);
    console.log('send kills landed', tally(moments), {
      duplicates: results.reduce((n, r) => n + r.duplicates, 0),
      worstCrash: Math.max(...results.map((r) => r.worstCrash)),
      tornTailsRepaired: torn,
    });
    expect(tally(moments).during).toBeGreaterThanOrEqual(Math.ceil(moments.length / 4));
    expect(torn).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------- render

/** .eml files (re)written since `since` (a rename keeps the temp file's fresh mtime). */
function freshEml(out: string, since: number): number {
  let n = 0;
  for (const name of listing(out)) {
    if (!name.endsWith('.eml') || name.startsWith('.')) continue;
    const stat = fs.statSync(path.join(out, name), { throwIfNoEntry: false });
    if (stat && stat.mtimeMs >= since) n++;
  }
  return n;
}

/**
 * Recipients the run has visibly done: .eml files written since it started, or lines of
 * the manifest it is writing (a rerun leaves a file that already holds its bytes alone).
 */
function progress(out: string, since: number): number {
  let lines = 0;
  for (const name of listing(out)) {
    if (!/^\.manifest\.jsonl\.\d+\.tmp$/.test(name)) continue;
    try {
      lines += fs.readFileSync(path.join(out, name), 'utf8').split('\n').length - 1;
    } catch {
      // Renamed into place meanwhile.
    }
  }
  return Math.max(freshEml(out, since), lines);
}

function manifestWrittenSince(out: string, since: number): boolean {
  const stat = fs.statSync(path.join(out, 'manifest.jsonl'), { throwIfNoEntry: false });
  return stat !== undefined && stat.mtimeMs >= since;
}

/** Starts render, kills it at a seeded moment, and says where the kill landed. */
async function killRender(
  args: string[],
  out: string,
  rand: ReturnType<typeof prng>,
): Promise<Moment> {
  const started = Date.now() - 1;
  const { child } = await startCli(args, { db, env: senderEnv });
  const mode = rand.pick(['time', 'files', 'files', 'manifest'] as const);
  if (mode === 'time') await sleep(rand.int(0, 1500));
  else if (mode === 'files') {
    const k = rand.int(1, RECIPIENTS);
    await waitFor(() => exited(child) || progress(out, started) >= k, 60_000);
  } else await waitFor(() => exited(child) || manifestWrittenSince(out, started), 60_000);
  const fresh = progress(out, started);
  const committed = manifestWrittenSince(out, started);
  child.kill('SIGKILL');
  const result = await child;
  if (result.signal !== 'SIGKILL') {
    expect(result.exitCode, result.stderr).toBe(0);
    return 'after';
  }
  return committed ? 'after' : fresh > 0 ? 'during' : 'before';
}

/** Reads manifest.jsonl strictly: it is renamed into place whole, so never torn. */
function readManifestStrict(out: string): ManifestEntry[] {
  const { values, torn } = strictJsonLines(path.join(out, 'manifest.jsonl'));
  expect(torn, 'manifest.jsonl has a torn line').toBeUndefined();
  return values.map((v) => manifestEntry.parse(v));
}

async function inviteRows(prefix: string) {
  const sql = await db.sql();
  return sql<{ email: string; code: string; id: string }[]>`
    select lower(email) as email, code, id::text from public.beta_invites
    where email like ${prefix + '%'} order by 1`;
}

/** What must hold after any kill: ≤ 1 invite each, a whole manifest, no stray .eml. */
async function checkRenderFolder(out: string, prefix: string, codes: Map<string, string>) {
  const rows = await inviteRows(prefix);
  expect(new Set(rows.map((r) => r.email)).size, 'a recipient has two invites').toBe(rows.length);
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  const entries = readManifestStrict(out);
  expect(manifestProblem(out, entries)).toBeUndefined();
  for (const e of entries) {
    const row = byEmail.get(e.email.toLowerCase());
    expect(row?.id, `${e.email} in the manifest has no invite`).toBe(e.inviteId);
    expect(row?.code).toBe(e.code);
    // An invite once rendered keeps its code through every rerun.
    expect(codes.get(e.email) ?? e.code).toBe(e.code);
    codes.set(e.email, e.code);
  }
  expect(await orphanEml(await db.sql(), out), '.eml without a committed invite').toEqual([]);
}

async function renderFolder(i: number): Promise<Moment[]> {
  const rand = prng(SEED + i);
  const prefix = `r${i}-`;
  const cohort = writeCohort(db.home, RECIPIENTS, `r${i}.csv`, prefix);
  const out = path.join(db.home, `out-r${i}`);
  const batch = rand.pick(['4', '8', '16', '500']);
  const args = ['render', cohort, '--out', out, '--force', '--batch-size', batch];
  const codes = new Map<string, string>();
  const moments: Moment[] = [];
  for (let k = 0; k < KILLS; k++) {
    moments.push(await killRender(args, out, rand));
    await checkRenderFolder(out, prefix, codes);
  }
  const final = await runCli(args, { db, env: senderEnv });
  expect(final.exitCode, `seed ${SEED + i}: ${final.stderr}`).toBe(0);
  expect(
    final.stdout.replace(/\d+ new invite\(s\), \d+ reused/, 'N new invite(s), M reused'),
  ).toContain(`Rendered ${RECIPIENTS} invitation(s) into out-r${i}/: N new invite(s), M reused.`);
  const rows = await inviteRows(prefix);
  expect(rows.map((r) => r.email)).toEqual(
    Array.from({ length: RECIPIENTS }, (_, n) => `${prefix}${n}@example.org`).sort(),
  );
  await checkRenderFolder(out, prefix, codes);
  const entries = readManifestStrict(out);
  expect(entries).toHaveLength(RECIPIENTS);
  // Exactly what a run without crashes leaves: the .eml files and the manifest.
  expect(listing(out)).toEqual([...entries.map((e) => e.file), 'manifest.jsonl'].sort());
  return moments;
}

// ---------------------------------------------------------------------------- send

interface SendState {
  out: Outdir;
  /** The relay's delay before answering DATA, in ms. */
  delay: number;
  /** For each recipient, the crashes that left it received but unrecorded. */
  unrecorded: Map<string, number>;
}

const received = (email: string) => sink.receivedBy(email).length;

/** sent.jsonl, strictly; every line a ledger entry. */
function readLedger(dir: string) {
  const { values, torn } = strictJsonLines(path.join(dir, 'sent.jsonl'));
  return { lines: values.map((v) => sentLine.parse(v)), torn };
}

/** Starts send, kills it at a seeded moment, lets the relay settle, and says where it landed. */
async function killSend(
  args: string[],
  state: SendState,
  rand: ReturnType<typeof prng>,
  last: boolean,
): Promise<Moment> {
  const { entries, dir } = state.out;
  const total = () => entries.reduce((n, e) => n + received(e.email), 0);
  const base = total();
  const recorded = new Set(readLedger(dir).lines.map((l) => l.inviteId));
  const left = entries.filter((e) => !recorded.has(e.inviteId)).length;
  const { child } = await startCli(args, { db, env: { SMTP_URL: sink.url() } });
  // Everyone received (so the ledger's last fsyncs and sent_at are in flight) ends a chain.
  const modes = last ? (['sink', 'everyone'] as const) : (['time', 'sink', 'sink'] as const);
  const mode = rand.pick<'time' | 'sink' | 'everyone'>(modes);
  if (mode === 'time') await sleep(rand.int(0, 1500));
  else if (mode === 'sink') {
    const k = rand.int(1, Math.max(1, left));
    await waitFor(() => exited(child) || total() - base >= k, 60_000);
  } else await waitFor(() => exited(child) || entries.every((e) => received(e.email) > 0), 60_000);
  const during = total() > base;
  child.kill('SIGKILL');
  const result = await child;
  // Let the relay finish the messages whose DATA it had when the client died.
  await sleep(state.delay + 200);
  if (result.signal !== 'SIGKILL') {
    expect(result.exitCode, result.stderr).toBe(0);
    return 'after';
  }
  return during ? 'during' : 'before';
}

/**
 * After a kill: the ledger parses (a torn tail at most), records only what the relay
 * got, never twice; what the relay got beyond the ledger is at most the window.
 */
function checkSendFolder(state: SendState, seed: number): number {
  const { dir, entries } = state.out;
  const { lines, torn } = readLedger(dir);
  // The reader send uses agrees: whole lines only, the torn tail set aside.
  expect(readJsonLines(path.join(dir, 'sent.jsonl'))).toHaveLength(lines.length);
  if (torn !== undefined) expect(() => JSON.parse(torn) as unknown).toThrow();
  const ids = lines.map((l) => l.inviteId);
  expect(new Set(ids).size, 'an invite is twice in the ledger').toBe(ids.length);
  const inLedger = new Set(ids);
  for (const l of lines)
    expect(received(l.email), `${l.email} recorded, never received`).toBe(
      1 + (state.unrecorded.get(l.email) ?? 0),
    );
  expect(strictJsonLines(path.join(dir, 'send-failed.jsonl')).values).toEqual([]);
  const limbo = entries.filter(
    (e) => !inLedger.has(e.inviteId) && received(e.email) > (state.unrecorded.get(e.email) ?? 0),
  );
  expect(limbo.length, `seed ${seed}: received but unrecorded`).toBeLessThanOrEqual(WINDOW);
  for (const e of limbo) state.unrecorded.set(e.email, (state.unrecorded.get(e.email) ?? 0) + 1);
  return limbo.length;
}

/**
 * A crash mid-append (power loss, full disk) can leave a last line without its newline:
 * SIGKILL alone cannot cut a write short, so the cut is made here, on the line of a
 * message not recorded yet, as such a crash would leave it.
 */
function tearLedgerTail(state: SendState): boolean {
  const { dir, entries } = state.out;
  const inLedger = new Set(readLedger(dir).lines.map((l) => l.inviteId));
  const next = entries.find((e) => !inLedger.has(e.inviteId));
  if (!next || readLedger(dir).torn !== undefined) return false;
  const line = JSON.stringify({ inviteId: next.inviteId, email: next.email, file: next.file });
  fs.appendFileSync(path.join(dir, 'sent.jsonl'), line.slice(0, line.length >> 1));
  return true;
}

interface SendFolderResult {
  moments: Moment[];
  /** Torn ledger tails made (see tearLedgerTail) and repaired by the next runs. */
  torn: number;
  /** Messages the relay got twice in all, and the most left unrecorded by one crash. */
  duplicates: number;
  worstCrash: number;
}

async function sendFolder(i: number): Promise<SendFolderResult> {
  const seed = SEED + 1000 + i;
  const rand = prng(seed);
  const out = await makeOutdir({
    sql: await db.sql(),
    emails: addresses(RECIPIENTS, `s${i}-`),
    dir: path.join(db.home, `out-s${i}`),
  });
  const state: SendState = { out, delay: rand.int(2, 15), unrecorded: new Map() };
  sink.setDataDelay(state.delay);
  const args = ['send', out.dir, '--confirm', '--concurrency', String(CONCURRENCY)];
  const moments: Moment[] = [];
  let torn = 0;
  let worstCrash = 0;
  for (let k = 0; k < KILLS; k++) {
    moments.push(await killSend(args, state, rand, k === KILLS - 1));
    worstCrash = Math.max(worstCrash, checkSendFolder(state, seed));
    if (rand.next() < 0.4 && tearLedgerTail(state)) torn++;
  }
  const final = await runCli(args, { db, env: { SMTP_URL: sink.url() } });
  expect(final.exitCode, `seed ${seed}: ${final.stderr}`).toBe(0);
  expect(final.stdout).toMatch(/^(✅ \d+ of \d+ sent, 0 failed in|✅ Nothing to send in)/);
  expect(checkSendFolder(state, seed), 'the final run left a message unrecorded').toBe(0);
  const { lines, torn: tail } = readLedger(out.dir);
  expect(tail, 'the rerun left a torn ledger line').toBeUndefined();
  expect(lines.map((l) => l.inviteId).sort()).toEqual(out.entries.map((e) => e.inviteId).sort());
  let duplicates = 0;
  for (const e of out.entries) {
    const got = sink.receivedBy(e.email);
    // Emailed at least once, and again only after a crash that left it unrecorded.
    expect(got.length, e.email).toBe(1 + (state.unrecorded.get(e.email) ?? 0));
    duplicates += got.length - 1;
    const bytes = onTheWire(fs.readFileSync(out.file(e.email)));
    for (const m of got) expect(m.raw.equals(bytes)).toBe(true);
  }
  expect(duplicates).toBeLessThanOrEqual(WINDOW * KILLS);
  const sql = await db.sql();
  const [row] = await sql<{ unsent: number }[]>`
    select count(*) filter (where sent_at is null) as unsent from public.beta_invites
    where id = any(${out.entries.map((e) => e.inviteId)}::uuid[])`;
  expect(row?.unsent).toBe(0);
  return { moments, torn, duplicates, worstCrash };
}
