import type { Sql } from 'postgres';
import { monitorConfig } from '../../../src/core/monitor/config.js';
import { checkGates } from '../../../src/core/monitor/cycle.js';
import type { DatabaseSource } from '../../../src/core/monitor/database.js';
import type { GateName, GateResult } from '../../../src/core/gates/types.js';

export interface CheckOptions {
  env?: Record<string, string | undefined>;
  timeoutSeconds?: number;
  clock?: () => Date;
  signal?: AbortSignal;
  sql?: () => Promise<Sql>;
}

/** A database source over a test database's in-process client. */
export function sqlSource(sql: () => Promise<Sql>): DatabaseSource {
  return { prepare: async () => {}, sql, release: async () => {}, close: async () => {} };
}

/**
 * Checks one gate the way the monitor does (config validated by the real schema, the
 * real runner with its timeout) and returns its result.
 */
export async function checkOne(
  gate: GateName,
  gateConfig: unknown,
  options: CheckOptions = {},
): Promise<GateResult> {
  const config = monitorConfig.parse({
    timeoutSeconds: options.timeoutSeconds ?? 10,
    gates: { [gate]: gateConfig },
  });
  const report = await checkGates(config, [gate], {
    signal: options.signal ?? new AbortController().signal,
    env: options.env ?? {},
    clock: options.clock ?? (() => new Date()),
    database: sqlSource(
      options.sql ?? (() => Promise.reject(new Error('no database in this test'))),
    ),
  });
  const [result] = report.gates;
  if (!result) throw new Error('no result');
  return result;
}

/** The result without its duration, for snapshots. */
export function stable(result: GateResult): Omit<GateResult, 'durationMs'> {
  const { gate, state, detail, observed } = result;
  return { gate, state, detail, observed };
}
