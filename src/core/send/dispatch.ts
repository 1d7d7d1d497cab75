import fs from 'node:fs/promises';
import type { Transport } from '../transports/transport.js';
import type { SendItem } from './check-files.js';
import { sha256 } from './check-files.js';
import type { DurableLog } from './durable-log.js';
import type { FailedLine, SentLine } from './ledger.js';
import { backoffDelay, sleep, tokenBucket, type RateLimiter } from './pacing.js';

/** How hard to push and when to give up. */
export interface DispatchOptions {
  /** Messages in flight at once (also the most a crash can repeat). */
  concurrency: number;
  /** Retries of a transient failure (so at most retries + 1 attempts). */
  retries: number;
  /** Consecutive failed attempts that stop the run; 0 never stops. */
  maxErrors: number;
  /** Messages per second at most; undefined for no limit. */
  ratePerSecond: number | undefined;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** Counters, as the progress display sees them. */
export interface DispatchProgress {
  total: number;
  sent: number;
  failed: number;
  retried: number;
}

export interface DispatchDeps {
  transport: Transport;
  sentLog: DurableLog<SentLine>;
  failedLog: DurableLog<FailedLine>;
  clock: () => Date;
  signal: AbortSignal;
  /** Masks secrets in what the transport said before it is written anywhere. */
  redact: (text: string) => string;
  onProgress?: (progress: DispatchProgress) => void;
}

export interface DispatchResult extends DispatchProgress {
  /** Not sent, not failed: left for the next run (interrupted or stopped). */
  remaining: number;
  /** Why the run stopped early by itself (too many consecutive failures). */
  stopped: string | undefined;
  /** The first failures (email, reason), for the summary. */
  failures: { email: string; reason: string }[];
}

/**
 * Sends the items through the transport with `concurrency` workers. A message counts as
 * sent only once its ledger line is durable, and a worker takes its next message only
 * after that: at any instant at most `concurrency` messages are accepted-but-unrecorded,
 * which bounds what a crash can make a rerun repeat.
 */
export function dispatch(
  items: SendItem[],
  options: DispatchOptions,
  deps: DispatchDeps,
): Promise<DispatchResult> {
  return new Dispatcher(items, options, deps).run();
}

class Dispatcher {
  private readonly progress: DispatchProgress;
  private readonly failures: DispatchResult['failures'] = [];
  private readonly halt = new AbortController();
  private readonly signal: AbortSignal;
  private readonly bucket: RateLimiter;
  private next = 0;
  private consecutive = 0;
  private stopped: string | undefined;
  private fatal: Error | undefined;

  constructor(
    private readonly items: SendItem[],
    private readonly options: DispatchOptions,
    private readonly deps: DispatchDeps,
  ) {
    this.progress = { total: items.length, sent: 0, failed: 0, retried: 0 };
    this.signal = AbortSignal.any([deps.signal, this.halt.signal]);
    this.bucket = tokenBucket(options.ratePerSecond);
  }

  async run(): Promise<DispatchResult> {
    const workers = Array.from({ length: Math.max(1, this.options.concurrency) }, () =>
      this.work(),
    );
    await Promise.all(workers);
    if (this.fatal !== undefined) throw this.fatal;
    const p = this.progress;
    return {
      ...p,
      remaining: p.total - p.sent - p.failed,
      stopped: this.stopped,
      failures: this.failures,
    };
  }

  private async work(): Promise<void> {
    while (!this.signal.aborted) {
      const item = this.items[this.next++];
      if (!item) return;
      try {
        await this.deliver(item);
      } catch (error) {
        // The ledger could not be written: nothing more may be sent.
        this.fatal ??= error instanceof Error ? error : new Error(String(error));
        this.halt.abort();
      }
    }
  }

  /** One message, retried while transient; returns without a record when interrupted. */
  private async deliver(item: SendItem): Promise<void> {
    const raw = await fs.readFile(item.path);
    if (sha256(raw) !== item.sha256)
      return this.fail(item, 'the file changed during the run; check it, then rerun', true, 0);
    for (let attempt = 0; ; attempt++) {
      if (!(await this.bucket.take(this.signal))) return;
      const outcome = await this.deps.transport.send({ raw, from: item.from, to: item.to });
      if (outcome.accepted) return this.succeed(item, outcome.response);
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

  private async succeed(item: SendItem, response: string): Promise<void> {
    this.consecutive = 0;
    await this.deps.sentLog.append({
      inviteId: item.inviteId,
      email: item.email,
      file: item.file,
      sha256: item.sha256,
      transport: this.deps.transport.label,
      response: this.deps.redact(response),
      at: this.deps.clock().toISOString(),
    });
    this.progress.sent++;
    this.deps.onProgress?.(this.progress);
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
