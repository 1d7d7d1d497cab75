import type { Sql } from 'postgres';
import { unlessLost } from '../db/session-loss.js';
import { isConnectionError } from '../db/connection-loss.js';
import { redactUrls } from '../db/url.js';
import { UserError, errorMessage, toError } from '../errors.js';

/** What the database says about one invite, at send time. */
export interface InviteState {
  /** sent_at is set: handed to a transport by some run, from this folder or another. */
  sent: boolean;
  redeemed: boolean;
  /** Expired, or revoked (revoking sets expires_at to now). */
  expired: boolean;
  /** The address hard-bounced before (a 5.x.x DSN recorded by `bounces`, on any invite). */
  bounced: boolean;
}

const CHUNK = 5_000;

/** The state of each invite of `ids` found in the database (a few large queries). */
export async function readInviteStates(
  sql: Sql,
  ids: string[],
  now: Date,
): Promise<Map<string, InviteState>> {
  const states = new Map<string, InviteState>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await sql<(InviteState & { id: string })[]>`
      select id::text as id, sent_at is not null as sent, used_at is not null as redeemed, expires_at <= ${now} as expired,
        exists (select 1 from public.beta_invites_bounces x join public.beta_invites o on o.id = x.invite_id
                where x.kind = 'hard' and lower(o.email) = lower(b.email)) as bounced
      from public.beta_invites b
      where id = any(${ids.slice(i, i + CHUNK)}::uuid[])`;
    for (const { id, ...state } of rows) states.set(id, state);
  }
  return states;
}

/**
 * Sets sent_at from the ledger for invites it records but the database does not (a crash
 * between the ledger's fsync and the update, or a database that was unreachable then).
 */
export async function backfillSentAt(
  sql: Sql,
  entries: { id: string; at: string }[],
): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    await sql`
      update public.beta_invites as b set sent_at = x.at
      from unnest(${chunk.map((e) => e.id)}::uuid[], ${chunk.map((e) => e.at)}::timestamptz[]) as x(id, at)
      where b.id = x.id and b.sent_at is null`;
  }
}

/**
 * Sets sent_at in the background, one `update … where id = any(…)` per batch: the ids
 * accepted within GATHER_MS of the first queued one, or GATHER_IDS of them, whichever
 * comes first. Without the wait, a run at `--concurrency 1` sent one update per message,
 * and the server's work for them took CPU from the sending.
 */
export interface SentAtWriter {
  /** Queues ids accepted at `at`; never blocks the sender. */
  mark(ids: string[], at: Date): void;
  /** Sends what is queued at once and waits for every update; rejects with the first failure. */
  drain(): Promise<void>;
}

const GATHER_MS = 100;
const GATHER_IDS = 1_000;

/**
 * `lost` is the loss of the session `sql` runs on: an update on a dead connection would
 * never settle, so the writer fails with the loss instead (see unlessLost).
 */
export function createSentAtWriter(
  sql: Sql,
  lost: AbortSignal,
  onError: (error: unknown) => void,
): SentAtWriter {
  let queue: { ids: string[]; at: Date }[] = [];
  let queued = 0;
  let running: Promise<void> | undefined;
  let failure: Error | undefined;
  let draining = false;
  /** Ends the wait for more ids early (enough queued, or drain). */
  let wake: (() => void) | undefined;
  const gather = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, GATHER_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wake = undefined));
  const loop = async () => {
    while (queue.length > 0 && failure === undefined) {
      if (!draining && queued < GATHER_IDS) await gather();
      const batch = queue;
      queue = [];
      queued = 0;
      const ids = batch.flatMap((b) => b.ids);
      // The batch's latest acceptance time: within GATHER_MS of each message's own, which
      // the ledger keeps exactly.
      const at = batch.reduce((t, b) => (b.at > t ? b.at : t), batch[0]?.at ?? new Date(0));
      try {
        await unlessLost(
          sql`update public.beta_invites set sent_at = ${at} where id = any(${ids}::uuid[]) and sent_at is null`,
          lost,
        );
      } catch (error) {
        failure = toError(error);
        onError(error);
      }
    }
    running = undefined;
  };
  return {
    mark(ids, at) {
      if (ids.length === 0 || failure !== undefined) return;
      queue.push({ ids, at });
      queued += ids.length;
      if (queued >= GATHER_IDS) wake?.();
      running ??= loop();
    },
    async drain() {
      draining = true;
      wake?.();
      while (running) await running;
      if (failure !== undefined) throw failure;
    },
  };
}

/**
 * Waits for the sent_at updates. One that failed stops the run with one line, as a
 * database problem (not as the relay's); sent.jsonl is complete and a rerun records it.
 * A lost session is left to withSendLock, which must not touch its connection again.
 */
export async function drainSentAt(writer: SentAtWriter, where: string): Promise<void> {
  const error = await writer.drain().then(
    () => undefined,
    (e: unknown) => toError(e),
  );
  if (error === undefined) return;
  if (isConnectionError(error)) throw error;
  throw new UserError(
    `sending stopped: the database at ${where} did not record what was sent: ${redactUrls(errorMessage(error))}`,
    {
      hint: "every message sent is in the folder's sent.jsonl: rerun the same command to record them and send the rest, none twice",
    },
  );
}
