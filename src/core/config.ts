import path from 'node:path';

/**
 * The environment the tool reads outside of command options (each option names its own
 * variable in its definition, read by the same resolver as its flag). Parsed here once;
 * nothing else looks at `process.env`.
 */
export interface Settings {
  /** `DATABASE_URL`: a PostgreSQL server; unset means the embedded database. */
  databaseUrl: string | undefined;
  /** `BETA_INVITES_HOME`, default `./.beta-invites`: where the embedded database lives. */
  home: string;
  /** `DEBUG=1`: print stacks of unexpected errors. */
  debug: boolean;
  /** `NO_COLOR` set: never colour. */
  noColor: boolean;
  /** `PATH`: where `send` looks for the program of SEND_CMD before sending anything. */
  searchPath: string | undefined;
  /** The raw environment: for the options' variables and the monitor's `tokenEnv` lookups. */
  env: Readonly<Record<string, string | undefined>>;
}

/** An environment switch (`FORCE=1`) is on for any value but empty, `0`, `false` and `no`. */
export function envSwitch(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readSettings(env: Record<string, string | undefined>, cwd: string): Settings {
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    home: path.resolve(cwd, nonEmpty(env.BETA_INVITES_HOME) ?? '.beta-invites'),
    debug: envSwitch(env.DEBUG),
    noColor: env.NO_COLOR !== undefined,
    searchPath: env.PATH,
    env,
  };
}
