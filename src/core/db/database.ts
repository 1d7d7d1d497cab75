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

/** postgres.js options shared by both kinds of database. */
export const clientOptions: Options<{ bigint: PostgresType<number> }> = {
  onnotice: () => {},
  connect_timeout: 10,
  idle_timeout: 0,
  connection: { application_name: 'beta-invites' },
  // int8 (count(*)) as JS numbers: our counts stay far below 2^53.
  types: { bigint },
};
