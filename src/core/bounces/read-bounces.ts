import type { Sql } from 'postgres';
import { attribute } from './attribute.js';
import { parseMessage, type Bounce } from './parse-bounce.js';
import { knownInvites, recordBounces, type BounceRow } from './record.js';
import type { MessageSource, RawMessage } from './sources/source.js';
import type { ReturnPath } from './verp.js';

/** A message that was not recorded as it should be, or was recorded without a status. */
export interface BounceProblem {
  where: string;
  messageId: string | null;
  problem: string;
}

/** What a run of `bounces` read and did. */
export interface BouncesReport {
  source: string;
  dryRun: boolean;
  /**
   * read = bounces + notBounce + unreadable; bounces = hard + soft + unknown
   * = recorded + alreadyRecorded + inviteNotFound.
   */
  counts: {
    read: number;
    bounces: number;
    /** New rows (with --dry-run: rows that would be new). */
    recorded: number;
    alreadyRecorded: number;
    hard: number;
    soft: number;
    unknown: number;
    notBounce: number;
    inviteNotFound: number;
    /** Too large, broken MIME, a report without its delivery-status part. */
    unreadable: number;
  };
  /** The first problems, in the order met; `problemCount` counts them all. */
  problems: BounceProblem[];
  problemCount: number;
}

export interface ReadBouncesOptions {
  source: MessageSource;
  returnPath: ReturnPath | undefined;
  dryRun: boolean;
  maxBytes: number;
}

const BATCH = 200;
const MAX_PROBLEMS = 20;

interface Pending {
  where: string;
  bounce: Bounce;
  inviteId: string;
  arrivedAt: Date | null;
}

/** Reads every message of the source, records the bounces it can attribute, counts the rest. */
export async function readBounces(
  options: ReadBouncesOptions,
  ctx: { sql: Sql; clock: () => Date },
): Promise<BouncesReport> {
  const report = emptyReport(options.source.label, options.dryRun);
  const problem = (p: BounceProblem) => {
    report.problemCount++;
    if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
  };
  let batch: Pending[] = [];
  for await (const message of options.source.messages()) {
    report.counts.read++;
    const pending = await readOne(message, options, report, problem);
    if (pending) batch.push(pending);
    if (batch.length >= BATCH) {
      await flush(batch, options.dryRun, ctx, report, problem);
      batch = [];
    }
  }
  await flush(batch, options.dryRun, ctx, report, problem);
  return report;
}

async function readOne(
  message: RawMessage,
  options: ReadBouncesOptions,
  report: BouncesReport,
  problem: (p: BounceProblem) => void,
): Promise<Pending | undefined> {
  const { counts } = report;
  if (message.raw === null) {
    counts.unreadable++;
    const why =
      message.size > options.maxBytes
        ? `${message.size} bytes, over the ${options.maxBytes}-byte limit: not read`
        : 'it could not be fetched';
    problem({ where: message.where, messageId: null, problem: why });
    return undefined;
  }
  const parsed = await parseMessage(message.raw);
  if (parsed.type === 'not-bounce') {
    counts.notBounce++;
    return undefined;
  }
  if (parsed.type === 'unreadable') {
    counts.unreadable++;
    problem({ where: message.where, messageId: parsed.messageId, problem: parsed.reason });
    return undefined;
  }
  const { bounce } = parsed;
  counts.bounces++;
  counts[bounce.kind]++;
  const found = attribute(bounce, options.returnPath);
  if ('problem' in found) {
    counts.inviteNotFound++;
    problem({
      where: message.where,
      messageId: bounce.messageId,
      problem: `invite not found: ${found.problem}`,
    });
    return undefined;
  }
  return { where: message.where, bounce, inviteId: found.inviteId, arrivedAt: message.arrivedAt };
}

async function flush(
  batch: Pending[],
  dryRun: boolean,
  ctx: { sql: Sql; clock: () => Date },
  report: BouncesReport,
  problem: (p: BounceProblem) => void,
): Promise<void> {
  const known = await knownInvites(ctx.sql, [...new Set(batch.map((p) => p.inviteId))]);
  const rows: BounceRow[] = [];
  for (const p of batch) {
    if (!known.has(p.inviteId)) {
      report.counts.inviteNotFound++;
      const text = `invite not found: ${p.inviteId} is not in this database`;
      problem({ where: p.where, messageId: p.bounce.messageId, problem: text });
      continue;
    }
    if (p.bounce.kind === 'unknown') {
      const text = `no status in the report: recorded as unknown for invite ${p.inviteId}`;
      problem({ where: p.where, messageId: p.bounce.messageId, problem: text });
    }
    rows.push(toRow(p, ctx.clock));
  }
  const added = await recordBounces(ctx.sql, rows, dryRun);
  // A Message-ID met twice in one batch is new once.
  const seen = new Set<string>();
  for (const row of rows) {
    const isNew = added.has(row.messageId) && !seen.has(row.messageId);
    seen.add(row.messageId);
    if (isNew) report.counts.recorded++;
    else report.counts.alreadyRecorded++;
  }
}

function toRow(p: Pending, clock: () => Date): BounceRow {
  const { bounce } = p;
  return {
    inviteId: p.inviteId,
    ...{ status: bounce.status, kind: bounce.kind, diagnostic: bounce.diagnostic },
    ...{ recipient: bounce.recipient, action: bounce.action, messageId: bounce.messageId },
    receivedAt: p.arrivedAt ?? bounce.date ?? clock(),
  };
}

function emptyReport(source: string, dryRun: boolean): BouncesReport {
  return {
    source,
    dryRun,
    counts: {
      ...{ read: 0, bounces: 0, recorded: 0, alreadyRecorded: 0, hard: 0, soft: 0 },
      ...{ unknown: 0, notBounce: 0, inviteNotFound: 0, unreadable: 0 },
    },
    problems: [],
    problemCount: 0,
  };
}
