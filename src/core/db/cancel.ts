import type { PendingQuery } from 'postgres';

/**
 * Cancels `query` on the server when `signal` aborts (Ctrl-C). Without it the backend
 * would go on building an index or waiting for a lock until it next wrote to the closed
 * connection, holding its advisory lock all that time.
 */
export async function cancelOnAbort<T extends readonly (object | undefined)[]>(
  query: PendingQuery<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return query;
  const cancel = () => query.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    return await query;
  } catch (error) {
    if (signal.aborted) throw new Interrupted(error);
    throw error;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** A statement cancelled because the run was interrupted (Ctrl-C). */
export class Interrupted extends Error {
  constructor(cause: unknown) {
    super('interrupted', { cause });
  }
}
