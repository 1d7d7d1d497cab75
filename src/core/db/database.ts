import type { Options, PostgresType, Sql } from 'postgres';

/** The database of one run: a postgres.js client on a server or on the embedded PGlite. */
export interface Database {
  sql: Sql;
  kind: 'server' | 'embedded';
  /** "host:port/db" for a server, the data directory for the embedded database. */
  label: string;
  /** Ends the client (and stops the embedded server). Safe to call twice. */
  close(): Promise<void>;
}

const bigint: PostgresType<number> = {
  to: 20,
  from: [20],
  serialize: (x: number) => String(x),
  parse: (x: string) => Number(x),
};

/**
 * Settings of every session the tool opens. postgres.js prepares every statement; after
 * five runs PostgreSQL may switch a prepared statement to a generic plan, blind to how
 * many rows an array parameter holds. For render's batch statement on a growing table
 * that plan is a nested loop over the table: 14 ms per batch of 500 became 570-750 ms
 * from the sixth batch on. Custom plans cost a few hundred microseconds of planning.
 * JIT compilation is off: the batch statement's estimated cost (the planner guesses about
 * 100 invites per address) passes jit_above_cost, and compiling it took 17 ms of a 31 ms
 * batch of 500, on every batch; none of the tool's statements runs long enough to win
 * that back.
 */
export const sessionSettings = {
  application_name: 'beta-invites',
  plan_cache_mode: 'force_custom_plan',
  jit: 'off',
} as const;

/** The settings as SET statements, for a session that ignores startup parameters. */
export function sessionSettingsSql(): string {
  return Object.entries(sessionSettings)
    .map(([name, value]) => `set ${name} = '${value}';`)
    .join(' ');
}

/** postgres.js options shared by both kinds of database. */
export const clientOptions: Options<{ bigint: PostgresType<number> }> = {
  onnotice: () => {},
  connect_timeout: 10,
  idle_timeout: 0,
  // Connections live as long as the run: a close is then always a loss (watchSessionLoss).
  max_lifetime: null,
  connection: { ...sessionSettings },
  // int8 (count(*)) as JS numbers: our counts stay far below 2^53.
  types: { bigint },
};
