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
 * A token bucket of `burst` tokens refilled at `perSecond`: once the burst is spent,
 * slots come every 1/perSecond s, in order of asking. Without a rate, no waiting at all.
 */
export function tokenBucket(
  perSecond: number | undefined,
  burst = 1,
  now: () => number = () => performance.now(),
): RateLimiter {
  if (perSecond === undefined) return { take: (signal) => Promise.resolve(!signal.aborted) };
  const interval = 1000 / perSecond;
  // The time at which the bucket would be empty again: slots are reserved by moving it.
  let emptyAt = now() - burst * interval;
  return {
    take(signal) {
      const t = now();
      emptyAt = Math.max(emptyAt, t - burst * interval) + interval;
      return sleep(emptyAt - t, signal);
    },
  };
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
