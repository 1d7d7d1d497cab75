import { setTimeout as delay } from 'node:timers/promises';

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts, even
 * if the promise never settles (a query or a read that ignores the signal). The listener
 * is removed either way, so a long-lived signal does not collect one per call.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      // Passed through unchanged, whatever it is.
      (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or less if the signal aborts (never rejects). */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // Aborted: the caller looks at the signal.
  }
}

/**
 * A controller that aborts with `parent` but can be dropped after one cycle: derived
 * signals hang off it instead of off the process-long parent (AbortSignal.any keeps
 * every dependant alive as long as its source on some Node versions).
 */
export function childController(parent: AbortSignal): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      parent.removeEventListener('abort', onAbort);
      // Whatever is still running for this cycle (a late body, a query) is cancelled.
      if (!controller.signal.aborted) controller.abort(new Error('cycle over'));
    },
  };
}
