import path from 'node:path';

/**
 * Every environment variable the tool reads, parsed in this one place. Commands receive
 * this object; nothing else looks at `process.env`.
 */
export interface Settings {
  /** `DATABASE_URL`: a PostgreSQL server; unset means the embedded database. */
  databaseUrl: string | undefined;
  /** `BETA_INVITES_HOME`, default `./.beta-invites`: where the embedded database lives. */
  home: string;
  /** `FORCE=1`: soft checks do not block. */
  force: boolean;
  /** `DEBUG=1`: print stacks of unexpected errors. */
  debug: boolean;
  /** `NO_COLOR` set: never colour. */
  noColor: boolean;
  signupUrl: string | undefined;
  feedbackUrl: string | undefined;
  from: string | undefined;
  replyTo: string | undefined;
  /** `SEND=1`: `send` dispatches for real. */
  send: boolean;
  sendCmd: string | undefined;
  smtpUrl: string | undefined;
  /** `PATH`: where `send` looks for the program of SEND_CMD before sending anything. */
  searchPath: string | undefined;
  /** `LOOP=1`: `monitor` repeats. */
  loop: boolean;
  checkInterval: string | undefined;
  /** `BOUNCES_IMAP_URL`: the mailbox `bounces` reads when given no SOURCE (keeps it off `ps`). */
  bouncesImapUrl: string | undefined;
  /** `BOUNCES_IMAP_PASSWORD`: the IMAP password when the URL has none. */
  bouncesImapPassword: string | undefined;
  /** The raw environment, for the monitor's `tokenEnv` lookups only. */
  env: Readonly<Record<string, string | undefined>>;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readSettings(env: Record<string, string | undefined>, cwd: string): Settings {
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    home: path.resolve(cwd, nonEmpty(env.BETA_INVITES_HOME) ?? '.beta-invites'),
    force: flag(env.FORCE),
    debug: flag(env.DEBUG),
    noColor: env.NO_COLOR !== undefined,
    signupUrl: nonEmpty(env.INVITE_SIGNUP_URL),
    feedbackUrl: nonEmpty(env.INVITE_FEEDBACK_URL),
    from: nonEmpty(env.INVITE_FROM),
    replyTo: nonEmpty(env.INVITE_REPLY_TO),
    send: flag(env.SEND),
    sendCmd: nonEmpty(env.SEND_CMD),
    smtpUrl: nonEmpty(env.SMTP_URL),
    searchPath: env.PATH,
    loop: flag(env.LOOP),
    checkInterval: nonEmpty(env.CHECK_INTERVAL),
    bouncesImapUrl: nonEmpty(env.BOUNCES_IMAP_URL),
    bouncesImapPassword: env.BOUNCES_IMAP_PASSWORD,
    env,
  };
}
