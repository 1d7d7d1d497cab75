import fs from 'node:fs';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import type { ManifestEntry } from '../outdir/manifest.js';
import {
  describeTransport,
  locateCommand,
  openTransport,
  transportSecrets,
  type TransportChoice,
} from '../transports/choose.js';
import type { Transport } from '../transports/transport.js';
import { checkFiles, sha256, type SendItem } from './check-files.js';
import { refuseProblems } from './refusals.js';
import { loadManifest } from './whole-manifest.js';
import { redactor } from './redact.js';
import { assertCohortKnown } from './selection.js';
import { rehearsalMessage } from './test-message.js';

export interface RehearsalOptions {
  /** The output folder, absolute. */
  dir: string;
  /** False: say what the rehearsal would send, and send nothing. */
  confirm: boolean;
  acceptEdits: boolean;
  transport: TransportChoice;
  /** Where every test message goes, instead of its recipient. */
  testTo: string[];
  /** How many messages, spread over the cohorts; one per cohort without it. */
  sample: number | undefined;
  /** Only this cohort's messages. */
  cohort: string | undefined;
}

/** One test message: which invitation it copies, and what the transport said. */
export interface RehearsalMessage {
  cohort: string;
  /** The real recipient, who gets nothing. */
  email: string;
  file: string;
  /** null in a dry run. */
  accepted: boolean | null;
  /** The transport's answer (accepted) or its reason (refused). */
  answer: string | null;
}

/** What a rehearsal did (or, as a dry run, would do). Nothing of it is recorded. */
export interface RehearsalReport {
  mode: 'dry-run' | 'send';
  dir: string;
  transport: string;
  /** Dry run with a command: where it would run from; null when it is not found. */
  commandPath?: string | null;
  testTo: string[];
  messages: RehearsalMessage[];
  accepted: number;
  refused: number;
}

type RehearsalContext = Pick<Context, 'settings' | 'cwd' | 'signal'>;

/**
 * The messages to rehearse with, in manifest order: the first of each cohort, then the
 * second of each, and so on, until `sample` (one per cohort without it).
 */
export function pickSample(entries: ManifestEntry[], sample: number | undefined): ManifestEntry[] {
  const byCohort = new Map<string, ManifestEntry[]>();
  for (const e of entries) byCohort.set(e.cohort, [...(byCohort.get(e.cohort) ?? []), e]);
  const want = sample ?? byCohort.size;
  const picked: ManifestEntry[] = [];
  for (let round = 0; picked.length < want; round++) {
    const row = [...byCohort.values()].flatMap((list) => list.slice(round, round + 1));
    if (row.length === 0) break;
    picked.push(...row.slice(0, want - picked.length));
  }
  return picked;
}

/** The sample's files, checked as send checks them (headers, sha256 against the manifest). */
async function checkedSample(options: RehearsalOptions, ctx: RehearsalContext) {
  const entries = loadManifest(options.dir);
  assertCohortKnown(entries, options.cohort);
  const pool =
    options.cohort === undefined ? entries : entries.filter((e) => e.cohort === options.cohort);
  const sample = pickSample(pool, options.sample);
  const checked = await checkFiles(options.dir, sample, ctx.signal);
  refuseProblems(options.dir, checked.missing, checked.mismatched);
  if (checked.edited.length > 0 && !options.acceptEdits) {
    throw new UserError(
      `${checked.edited.length} file(s) changed since render (sha256 differs from manifest.jsonl): ${checked.edited.join(', ')}`,
      {
        hint: 'rerun beta-invites render to rebuild them, or pass --accept-edits to rehearse them as they are now',
      },
    );
  }
  const cohortOf = new Map(sample.map((e) => [e.inviteId, e.cohort]));
  return checked.items.map((item) => ({ item, cohort: cohortOf.get(item.inviteId) ?? '' }));
}

/**
 * `send --test-to`: sends a copy of a few invitations to test addresses, through the
 * transport and settings of the real send, and records nothing (no ledger, no sent_at).
 */
export async function rehearse(
  options: RehearsalOptions,
  ctx: RehearsalContext,
): Promise<RehearsalReport> {
  const label = describeTransport(options.transport);
  const sample = await checkedSample(options, ctx);
  const report: RehearsalReport = {
    ...{ mode: options.confirm ? 'send' : 'dry-run', dir: options.dir, transport: label },
    ...{ testTo: options.testTo, accepted: 0, refused: 0 },
    messages: sample.map(({ item, cohort }) => ({
      ...{ cohort, email: item.email, file: item.file },
      ...{ accepted: null, answer: null },
    })),
  };
  if (!options.confirm) {
    if (options.transport.kind === 'command')
      report.commandPath =
        locateCommand(options.transport, ctx.settings.searchPath, ctx.cwd) ?? null;
    return report;
  }
  const transport = openTransport(options.transport, {
    concurrency: 1,
    searchPath: ctx.settings.searchPath,
    cwd: ctx.cwd,
  });
  try {
    await transport.verify();
    await sendSample(
      sample.map((s) => s.item),
      report,
      transport,
      options,
    );
  } finally {
    await transport.close();
  }
  refuseAllRefused(report);
  return report;
}

/** One test message after the other: a handful, and each answer is worth reading alone. */
async function sendSample(
  items: SendItem[],
  report: RehearsalReport,
  transport: Transport,
  options: RehearsalOptions,
): Promise<void> {
  const redact = redactor(transportSecrets(options.transport));
  for (const [i, item] of items.entries()) {
    const message = report.messages[i];
    if (!message) continue;
    const raw = fs.readFileSync(item.path);
    if (sha256(raw) !== item.sha256) {
      Object.assign(message, { accepted: false, answer: 'the file changed during the run' });
    } else {
      const copy = rehearsalMessage(raw, options.testTo);
      const outcome = await transport.send({ raw: copy, from: item.from, to: options.testTo });
      message.accepted = outcome.accepted;
      message.answer = redact(outcome.accepted ? outcome.response : outcome.reason);
    }
    if (message.accepted) report.accepted++;
    else report.refused++;
  }
}

/**
 * Every test message refused for one same reason (msmtp without an account exits 78 for
 * each): that reason, in one line, is the whole story.
 */
function refuseAllRefused(report: RehearsalReport): void {
  const reasons = new Set(report.messages.map((m) => m.answer));
  if (report.accepted > 0 || report.refused === 0 || reasons.size !== 1) return;
  throw new UserError(
    `the rehearsal failed: ${report.transport} refused all ${report.refused} test message(s): ${[...reasons][0] ?? ''}`,
    {
      hint: 'nothing was sent, to the test addresses or to any recipient: fix the transport (its configuration, or --send-cmd / --smtp), then rehearse again',
    },
  );
}
