/** Waits `ms`; resolves false at once (or early) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Hands out send slots at a steady rate. */
export interface RateLimiter {
  /** Waits for the next slot; false when `signal` aborted first. */
  take(signal: AbortSignal): Promise<boolean>;
}

/**
 * The arithmetic of a token bucket of `burst` tokens refilled at `perSecond`: each call
 * takes a token and says how long to wait for it (0 while the burst lasts, then one every
 * 1/perSecond s, in order of asking).
 */
export function tokenSchedule(perSecond: number, burst: number, now: () => number): () => number {
  const interval = 1000 / perSecond;
  // When the bucket would be empty: taking a token moves it one interval later.
  let emptyAt = now() - burst * interval;
  return () => {
    const t = now();
    emptyAt = Math.max(emptyAt, t - burst * interval) + interval;
    return Math.max(0, emptyAt - t);
  };
}

/** `--rate`: a token bucket (burst 1: an even pace); without a rate, no waiting at all. */
export function tokenBucket(
  perSecond: number | undefined,
  burst = 1,
  now: () => number = () => performance.now(),
): RateLimiter {
  if (perSecond === undefined) return { take: (signal) => Promise.resolve(!signal.aborted) };
  const next = tokenSchedule(perSecond, burst, now);
  return { take: (signal) => sleep(next(), signal) };
}

export interface BackoffOptions {
  /** The first retry waits about this long (ms); each next one twice as long. */
  baseMs: number;
  /** No wait is longer than this (ms). */
  maxMs: number;
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the doubling delay, plus a random part up
 * to the other half, so retries of many messages after one outage do not arrive together.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return cap / 2 + (options.random ?? Math.random)() * (cap / 2);
}

/** A counting semaphore: at most `size` holders at once, served in order. */
export class Window {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Every slot is held: the next acquire waits. */
  get full(): boolean {
    return this.used >= this.size;
  }

  acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiter, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used--;
  }
}
