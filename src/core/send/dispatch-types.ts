import type { Transport } from '../transports/transport.js';
import type { DurableLog } from './durable-log.js';
import type { FailedLine, SentLine } from './ledger.js';

/** How hard to push and when to give up. */
export interface DispatchOptions {
  /**
   * Messages handed to the transport at once (SMTP connections, command processes). Twice
   * as many may be in flight: being sent, or accepted and waiting for their ledger line
   * to be durable, so that each lane sends its next message while the last one's line is
   * being fsynced. Twice this is the most a crash can make a rerun repeat.
   */
  concurrency: number;
  /** Retries of a transient failure (so at most retries + 1 attempts). */
  retries: number;
  /** Consecutive failed attempts that stop the run; 0 never stops. */
  maxErrors: number;
  /** Messages per second at most; undefined for no limit. */
  ratePerSecond: number | undefined;
  /**
   * The envelope sender of an invite's message (VERP, `--return-path`), so that its
   * bounce names the invite; undefined: the file's From address.
   */
  envelopeFrom?: (inviteId: string) => string;
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
