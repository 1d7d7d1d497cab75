import type { Sql } from 'postgres';
import { z } from 'zod';
import { redactUrls } from '../db/url.js';
import { UserError, errorMessage, errnoCode } from '../errors.js';
import { wholeNumber } from './schemas.js';
import { GateUnknown, fail, pass, type GateDeps, type GateOutcome } from './outcome.js';

/** `gates.signups` in the monitor config. */
export const signupsConfig = z.object({ min: wholeNumber }).strict();
export type SignupsConfig = z.infer<typeof signupsConfig>;

/** The signups gate's database: opened by the monitor, which decides how long it lives. */
export interface SignupsDeps extends GateDeps {
  database: () => Promise<Sql>;
}

const QUERY_REASONS: Record<string, string> = {
  '42P01': 'table public.beta_invites does not exist (run beta-invites migrate)',
  ECONNREFUSED: 'database connection refused',
  ECONNRESET: 'database connection reset',
  CONNECTION_CLOSED: 'database connection closed',
  CONNECTION_ENDED: 'database connection closed',
  CONNECTION_DESTROYED: 'database connection closed',
  CONNECT_TIMEOUT: 'database connection timed out',
};

/** Why the database could not answer, in one line without credentials. */
function databaseReason(error: unknown): string {
  if (error instanceof UserError) return redactUrls(error.message);
  const code = errnoCode(error);
  if (typeof code === 'string' && QUERY_REASONS[code]) return QUERY_REASONS[code];
  return redactUrls(`database error: ${errorMessage(error)}`);
}

/** Redeemed invites (`used_at is not null`): at least `min`. */
export async function checkSignups(config: SignupsConfig, deps: SignupsDeps): Promise<GateOutcome> {
  let n: number;
  try {
    const sql = await deps.database();
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.beta_invites where used_at is not null`;
    n = row?.n ?? 0;
  } catch (error) {
    if (deps.signal.aborted) throw error;
    throw new GateUnknown(databaseReason(error));
  }
  const detail = `${n} redeemed invite${n === 1 ? '' : 's'} (min ${config.min})`;
  return n >= config.min ? pass(detail, n) : fail(detail, n);
}
