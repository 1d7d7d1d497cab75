import type { Sql } from 'postgres';
import { toError } from '../errors.js';

/** Watches a client for a lost connection; `stop` puts the client back as it was. */
export interface SessionWatch {
  /** Aborted, with a `CONNECTION_CLOSED` error, once a connection of the client closes. */
  signal: AbortSignal;
  stop(): void;
}

/** The error postgres.js gives a query whose connection closed. */
function closedError(): Error {
  return Object.assign(new Error('the server closed the connection'), {
    code: 'CONNECTION_CLOSED',
  });
}

/**
 * Watches `sql` for a connection that closes. postgres.js 3.4.9 never settles a query
 * sent on a reserved connection whose socket closed while it was idle (its write throws
 * from a timer instead, see isClosedSocketWrite): a session ended by the server between
 * two queries is only seen through the client's `onclose` hook, which postgres.js reads
 * from `sql.options` at each close. The client cannot say which connection closed; the
 * tool never closes one itself before the end (idle_timeout and max_lifetime are off),
 * so any close while watching is taken as the loss of the watched session.
 */
export function watchSessionLoss(sql: Sql): SessionWatch {
  const lost = new AbortController();
  const options = sql.options as { onclose?: (id: number) => void };
  const previous = options.onclose;
  const onclose = (id: number) => {
    previous?.(id);
    if (!lost.signal.aborted) lost.abort(closedError());
  };
  options.onclose = onclose;
  return {
    signal: lost.signal,
    stop: () => {
      if (options.onclose === onclose) options.onclose = previous;
    },
  };
}

/**
 * Settles like `query`, or rejects with the loss as soon as `lost` aborts: a query on a
 * dead connection would never settle. A query not yet started when the session is
 * already lost is never sent (postgres.js runs a query when it is first awaited).
 */
export function unlessLost<T>(query: PromiseLike<T>, lost: AbortSignal): Promise<T> {
  if (lost.aborted) return Promise.reject(lost.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onLost = () => reject(lost.reason as Error);
    lost.addEventListener('abort', onLost, { once: true });
    query.then(
      (value) => {
        lost.removeEventListener('abort', onLost);
        resolve(value);
      },
      (error: unknown) => {
        lost.removeEventListener('abort', onLost);
        reject(toError(error));
      },
    );
  });
}

/**
 * Settles like `work`, or, once `lost` aborts, rejects with the loss after `graceMs`
 * unless `work` settled first: time for work that gets the signal to stop by itself.
 * Infinity waits for `work` whatever happens.
 */
export function abandonOnLoss<T>(work: Promise<T>, lost: AbortSignal, graceMs: number): Promise<T> {
  if (graceMs === Infinity) return work;
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onLost = () => {
      timer = setTimeout(() => reject(lost.reason as Error), graceMs);
    };
    if (lost.aborted) onLost();
    else lost.addEventListener('abort', onLost, { once: true });
    void work.then(resolve, reject).finally(() => {
      lost.removeEventListener('abort', onLost);
      clearTimeout(timer);
    });
  });
}
