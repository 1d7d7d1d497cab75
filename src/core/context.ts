import type { Settings } from './config.js';
import type { Database } from './db/database.js';
import type { Output } from './output.js';

/**
 * What a command may use. Functions take `Pick<Context, …>` of the parts they need, so
 * each is testable alone.
 */
export interface Context {
  settings: Settings;
  out: Output;
  cwd: string;
  /** The wall clock; passed in so tests can fix it. */
  clock: () => Date;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /** Opens the run's database on first call (later calls return the same one). */
  db: () => Promise<Database>;
}
