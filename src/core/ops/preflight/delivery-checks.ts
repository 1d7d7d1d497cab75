import { setTimeout as delay } from 'node:timers/promises';
import type { Context } from '../../context.js';
import { GATE_NAMES, type GateResult } from '../../gates/types.js';
import { checkGates } from '../../monitor/cycle.js';
import { loadMonitorConfig, type MonitorConfig } from '../../monitor/config.js';
import { onceSource } from '../../monitor/database.js';
import { UserError } from '../../errors.js';
import {
  describeTransport,
  locateCommand,
  openTransport,
  type TransportChoice,
} from '../../transports/choose.js';
import { attempt, failureDetail, item, type PreflightItem } from './items.js';

/** How long the SMTP check waits for the relay's greeting and login. */
export const TRANSPORT_TIMEOUT_MS = 15_000;

function origin(choice: TransportChoice): string {
  if (choice.from === 'default') return ' (the default: neither SMTP_URL nor SEND_CMD is set)';
  return ` (from ${choice.from})`;
}

async function verifyWithin(verify: () => Promise<void>, ms: number): Promise<void> {
  const timer = new AbortController();
  const timeout = delay(ms, undefined, { signal: timer.signal }).then(() => {
    throw new UserError(`no answer within ${ms / 1000}s`, { hint: 'check the host and port' });
  });
  try {
    await Promise.race([verify(), timeout]);
  } finally {
    timer.abort();
    timeout.catch(() => {});
  }
}

/**
 * send's own readiness check, without sending: the command is found (on PATH or at its
 * path), or the SMTP relay answers and accepts the login (nodemailer `verify()`).
 */
export function transportItem(
  choice: () => TransportChoice,
  env: { searchPath: string | undefined; cwd: string; timeoutMs?: number },
): Promise<PreflightItem> {
  return attempt('transport', 'send transport', async () => {
    const chosen = choice();
    const label = describeTransport(chosen);
    const transport = openTransport(chosen, { concurrency: 1, ...env });
    try {
      await verifyWithin(() => transport.verify(), env.timeoutMs ?? TRANSPORT_TIMEOUT_MS);
    } finally {
      await transport.close();
    }
    if (chosen.kind === 'command') {
      const at = locateCommand(chosen, env.searchPath, env.cwd) ?? '?';
      return { state: 'pass', detail: `${label} found at ${at}${origin(chosen)}` };
    }
    return { state: 'pass', detail: `${label} answered and accepted the session${origin(chosen)}` };
  });
}

/** A gate as a preflight line: the source answered (whatever it said), or it did not. */
function gateItem(result: GateResult, file: string): PreflightItem {
  const id = `gate:${result.gate}`;
  const title = `monitor ${result.gate}`;
  if (result.state !== 'unknown') {
    const now = result.state === 'pass' ? 'passing' : 'failing';
    return item(id, title, 'pass', `answers (gate ${now} now: ${result.detail})`);
  }
  if (result.detail === 'not configured') {
    return item(id, title, 'unknown', `not configured in ${file}`);
  }
  return item(id, title, 'fail', `does not answer: ${result.detail}`);
}

export interface MonitorInput {
  file: string;
  ctx: Pick<Context, 'db' | 'settings' | 'cwd' | 'clock' | 'signal'>;
}

/**
 * The monitor config is valid and each configured source answers: the gates run once,
 * exactly as `monitor` runs them. A failing gate is fine three days out (no signups
 * yet); a source that cannot be reached or refuses the token is not.
 */
export async function checkMonitor(input: MonitorInput): Promise<PreflightItem[]> {
  const { ctx, file } = input;
  let config: MonitorConfig;
  try {
    config = await loadMonitorConfig(file, ctx.cwd);
  } catch (error) {
    return [item('monitor', 'monitor config', 'fail', failureDetail(error))];
  }
  const configured = GATE_NAMES.filter((g) => config.gates[g] !== undefined).length;
  const report = await checkGates(config, GATE_NAMES, {
    signal: ctx.signal,
    env: ctx.settings.env,
    clock: ctx.clock,
    database: onceSource(ctx),
  });
  return [
    item(
      'monitor',
      'monitor config',
      'pass',
      `${file} is valid: ${configured} of ${GATE_NAMES.length} gates configured, ${config.timeoutSeconds}s timeout each`,
    ),
    ...report.gates.map((g) => gateItem(g, file)),
  ];
}
