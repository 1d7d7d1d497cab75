import type { SendReport } from '../../core/send/send-invites.js';
import type { Invocation } from '../shared/define.js';
import type { SendOptions } from './definition.js';

/** The commands a send's summary names: to send for real or resume, and to send the rest. */
export interface NextCommands {
  command: string;
  rest: { count: number; command: string } | null;
}

/**
 * To resume a canary batch (interrupted, stopped, or with failures) the limit becomes what
 * the batch has left: those messages are still the first pending ones in manifest order,
 * so the batch does not grow. The rest (held back by --limit and --cohort) is sent by the
 * plain command; the ledger makes both send each message once.
 */
export function nextCommands(
  report: SendReport,
  options: Pick<SendOptions, 'limit'>,
  invocation: Invocation<SendOptions>,
): NextCommands {
  const left = report.remaining + report.failed;
  const command =
    report.mode === 'send' && options.limit !== undefined && left > 0
      ? invocation.repeat({
          drop: ['confirm', 'json', 'limit'],
          extra: ['--confirm', '--limit', String(left)],
        })
      : invocation.repeat({ drop: ['confirm', 'json'], extra: ['--confirm'] });
  const held = report.held.limit + report.held.cohort;
  if (held === 0) return { command, rest: null };
  const all = invocation.repeat({
    drop: ['confirm', 'json', 'limit', 'cohort'],
    extra: ['--confirm'],
  });
  return { command, rest: { count: held, command: all } };
}
