/**
 * A PostgreSQL advisory lock of the tool: its key, and the name of the command that
 * holds it, for the message that refuses a second one ("another send is running…").
 */
export interface AdvisoryLock {
  key: number;
  name: string;
}

/**
 * Every advisory lock key the tool takes, in one place so that no two can collide. The
 * values are fixed: a run of an older version must still exclude a run of this one.
 */
export const LOCKS = {
  /** Held while migrating: two operators cannot migrate at once. */
  migrate: { key: 7_418_326_601, name: 'migrate' },
  /** Held by `sweep`: one sweep at a time. */
  sweep: { key: 7_418_326_603, name: 'sweep' },
  /** Held by a confirmed `send`: two at once could email the same person twice. */
  send: { key: 7_418_326_604, name: 'send' },
} as const satisfies Record<string, AdvisoryLock>;

/**
 * Namespace (first key) of render's per-recipient transaction locks; the second key is
 * `hashtext(lower(email))`. The two-key form cannot collide with the one-key locks above.
 */
export const RECIPIENT_LOCK_NAMESPACE = 41_726;
