import { toError } from '../errors.js';
import fs from 'node:fs';
import { sha256 } from './check-files.js';
import { readInviteHeaders, type InviteHeaders } from './headers.js';
import type { PlannedMessage } from './planned.js';
import type {
  DispatchDeps,
  DispatchOptions,
  DispatchProgress,
  DispatchResult,
} from './dispatch-types.js';
import { backoffDelay, sleep, tokenBucket, Window, type RateLimiter } from './pacing.js';

export type {
  DispatchDeps,
  DispatchOptions,
  DispatchProgress,
  DispatchResult,
} from './dispatch-types.js';

/**
 * Sends the messages through the transport on `concurrency` lanes. A message takes one
 * of 2 × `concurrency` window slots before it is handed to the transport and gives it
 * back only once its ledger line is durable (or the attempt failed): at any instant at
 * most 2 × `concurrency` messages are accepted-but-unrecorded, which bounds what a crash
 * can make a rerun repeat. A message counts as sent only once its line is durable.
 */
export function dispatch(
  messages: Iterator<PlannedMessage>,
  total: number,
  options: DispatchOptions,
  deps: DispatchDeps,
): Promise<DispatchResult> {
  return new Dispatcher(messages, total, options, deps).run();
}

type SendItem = PlannedMessage;

/** A message read from its file: its bytes and headers, or no bytes when the file changed. */
type Loaded =
  | { item: SendItem; raw: Buffer; headers: InviteHeaders }
  | { item: SendItem; raw: undefined; headers?: undefined };

/** Messages in flight at most for `concurrency` lanes: the most a crash can repeat. */
export function inFlight(concurrency: number): number {
  return 2 * Math.max(1, concurrency);
}

/**
 * When the ledger is fsynced: once a lane's worth of lines wait, or 10 ms after the first
 * (or at once when a lane waits for a slot, see deliver). With one lane, each line is
 * written while the next message is on the wire.
 */
export function ledgerCommit(concurrency: number): { lines: number; ms: number } {
  return { lines: Math.max(1, concurrency), ms: 10 };
}

class Dispatcher {
  private readonly progress: DispatchProgress;
  private readonly failures: DispatchResult['failures'] = [];
  private readonly halt = new AbortController();
  private readonly signal: AbortSignal;
  private readonly bucket: RateLimiter;
  private readonly window: Window;
  /** Ledger appends not yet durable. */
  private readonly recording = new Set<Promise<void>>();
  private consecutive = 0;
  private stopped: string | undefined;
  private fatal: Error | undefined;

  constructor(
    private readonly messages: Iterator<PlannedMessage>,
    total: number,
    private readonly options: DispatchOptions,
    private readonly deps: DispatchDeps,
  ) {
    this.progress = { total, sent: 0, failed: 0, retried: 0 };
    this.signal = AbortSignal.any([deps.signal, this.halt.signal]);
    this.bucket = tokenBucket(options.ratePerSecond);
    this.window = new Window(inFlight(options.concurrency));
  }

  async run(): Promise<DispatchResult> {
    const lanes = Math.max(1, this.options.concurrency);
    try {
      await Promise.all(Array.from({ length: lanes }, () => this.work()));
    } finally {
      // Closes the manifest when the run stopped before its end.
      this.messages.return?.();
    }
    while (this.recording.size > 0) await Promise.all(this.recording);
    if (this.fatal !== undefined) throw this.fatal;
    const p = this.progress;
    return {
      ...p,
      remaining: p.total - p.sent - p.failed,
      stopped: this.stopped,
      failures: this.failures,
    };
  }

  /**
   * One lane: the next message is read and hashed while this one is on the wire (the relay
   * answers in between), so the lane never waits for the disk and the relay in turn.
   */
  private async work(): Promise<void> {
    let ahead: Promise<Loaded | undefined> | undefined;
    try {
      while (!this.signal.aborted) {
        const current = await (ahead ?? Promise.resolve(this.loadNext()));
        if (current === undefined) return;
        ahead = this.loadSoon();
        await this.deliver(current);
      }
    } catch (error) {
      // A message file became unreadable, the manifest changed, or the failure log
      // cannot be written.
      this.fatal ??= toError(error);
      this.halt.abort();
    } finally {
      // Closing the manifest (see run) waits for a read already under way.
      await ahead?.catch(() => undefined);
    }
  }

  /** The next message of the manifest, read and hashed (the manifest is read on as lanes ask). */
  private loadNext(): Loaded | undefined {
    if (this.signal.aborted) return undefined;
    const next = this.messages.next();
    if (next.done === true) return undefined;
    const item = next.value;
    // Read again (not kept from the check: a large cohort would not fit in memory) and
    // hashed: the bytes handed to the transport are the bytes checked, or not sent.
    const raw = fs.readFileSync(item.path);
    if (sha256(raw) !== item.sha256) return { item, raw: undefined };
    // Same bytes, same headers as checked: the envelope comes from them.
    return { item, raw, headers: readInviteHeaders(raw) };
  }

  /** loadNext once the current message's first command is written (after the microtasks). */
  private loadSoon(): Promise<Loaded | undefined> {
    const soon = new Promise<Loaded | undefined>((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(this.loadNext());
        } catch (error) {
          reject(toError(error));
        }
      });
    });
    // Awaited by the lane; a lane stopped meanwhile settles it in `finally`.
    soon.catch(() => undefined);
    return soon;
  }

  /** One message, retried while transient; returns without a record when interrupted. */
  private async deliver({ item, raw, headers }: Loaded): Promise<void> {
    if (raw === undefined)
      return this.fail(item, 'the file changed during the run; check it, then rerun', true, 0);
    const to = headers.to;
    for (let attempt = 0; ; attempt++) {
      if (!(await this.bucket.take(this.signal))) return;
      // A lane about to wait for a slot waits for the ledger: write it now, not in 10 ms.
      if (this.window.full) this.deps.sentLog.flush();
      await this.window.acquire();
      // Interrupted or stopped while waiting for a slot: leave the message for the rerun.
      if (this.signal.aborted) return this.window.release();
      const from = this.options.envelopeFrom?.(item.inviteId) ?? headers.from ?? '';
      const outcome = await this.deps.transport.send({ raw, from, to });
      if (outcome.accepted) return this.record(item, outcome.response);
      this.window.release();
      const reason = this.deps.redact(outcome.reason);
      this.countFailure(item, reason);
      if (!outcome.transient || attempt >= this.options.retries) {
        return this.fail(item, reason, !outcome.transient, attempt + 1);
      }
      this.progress.retried++;
      this.deps.onProgress?.(this.progress);
      const wait = backoffDelay(attempt, {
        baseMs: this.options.retryBaseMs,
        maxMs: this.options.retryMaxMs,
      });
      if (!(await sleep(wait, this.signal))) return;
    }
  }

  /**
   * Appends the ledger line without waiting for it (the lane goes on with its next
   * message); the window slot is given back, and the message counted, once it is durable.
   */
  private record(item: SendItem, response: string): void {
    this.consecutive = 0;
    const durable = this.deps.sentLog.append({
      inviteId: item.inviteId,
      email: item.email,
      file: item.file,
      sha256: item.sha256,
      transport: this.deps.transport.label,
      response: this.deps.redact(response),
      at: this.deps.clock().toISOString(),
    });
    const done = durable
      .then(
        () => {
          this.progress.sent++;
          this.deps.onProgress?.(this.progress);
        },
        (error: unknown) => {
          // The ledger cannot be written: nothing more may be sent.
          this.fatal ??= toError(error);
          this.halt.abort();
        },
      )
      .finally(() => {
        this.window.release();
        this.recording.delete(done);
      });
    this.recording.add(done);
  }

  /** Counts a failed attempt; enough in a row stop the run (the relay is probably down). */
  private countFailure(item: SendItem, reason: string): void {
    this.consecutive++;
    const max = this.options.maxErrors;
    if (max > 0 && this.consecutive >= max && this.stopped === undefined) {
      this.stopped = `${this.consecutive} consecutive failures (last: ${item.email}: ${reason})`;
      this.halt.abort();
    }
  }

  private async fail(
    item: SendItem,
    reason: string,
    permanent: boolean,
    attempts: number,
  ): Promise<void> {
    this.progress.failed++;
    if (this.failures.length < 20) this.failures.push({ email: item.email, reason });
    await this.deps.failedLog.append({
      inviteId: item.inviteId,
      email: item.email,
      file: item.file,
      reason,
      permanent,
      attempts,
      transport: this.deps.transport.label,
      at: this.deps.clock().toISOString(),
    });
    this.deps.onProgress?.(this.progress);
  }
}
