import { UsageError, UserError } from '../errors.js';
import {
  commandLabel,
  createCommandTransport,
  findExecutable,
  parseCommandLine,
} from './command.js';
import { createSmtpTransport } from './smtp.js';
import { parseSmtpUrl } from './smtp-url.js';
import type { Transport } from './transport.js';

/** The command used when neither SMTP nor a command is configured (as the original script). */
export const DEFAULT_SEND_CMD = 'msmtp';

/** Which transport a run uses, and where that choice came from. */
export type TransportChoice =
  | { kind: 'smtp'; url: string; from: '--smtp' | 'SMTP_URL' }
  | { kind: 'command'; commandLine: string; from: '--send-cmd' | 'SEND_CMD' | 'default' };

/**
 * Flags win over the environment. Two conflicting choices from the same level are refused
 * rather than guessed between.
 */
export function chooseTransport(
  flags: { smtp?: string | undefined; sendCmd?: string | undefined },
  settings: { smtpUrl: string | undefined; sendCmd: string | undefined },
): TransportChoice {
  if (flags.smtp !== undefined && flags.sendCmd !== undefined) {
    throw new UsageError('--smtp and --send-cmd cannot be used together', 'choose one transport');
  }
  if (flags.smtp !== undefined) return { kind: 'smtp', url: flags.smtp, from: '--smtp' };
  if (flags.sendCmd !== undefined)
    return { kind: 'command', commandLine: flags.sendCmd, from: '--send-cmd' };
  if (settings.smtpUrl !== undefined && settings.sendCmd !== undefined) {
    throw new UserError('both SMTP_URL and SEND_CMD are set', {
      hint: 'unset one of them, or choose with --smtp URL or --send-cmd CMD',
    });
  }
  if (settings.smtpUrl !== undefined)
    return { kind: 'smtp', url: settings.smtpUrl, from: 'SMTP_URL' };
  if (settings.sendCmd !== undefined)
    return { kind: 'command', commandLine: settings.sendCmd, from: 'SEND_CMD' };
  return { kind: 'command', commandLine: DEFAULT_SEND_CMD, from: 'default' };
}

/** How the choice is named in messages (password masked); throws if it cannot be parsed. */
export function describeTransport(choice: TransportChoice): string {
  if (choice.kind === 'smtp') return parseSmtpUrl(choice.url).label;
  parseCommandLine(choice.commandLine);
  return commandLabel(choice.commandLine);
}

/** Secrets of the choice that must never be printed or written. */
export function transportSecrets(choice: TransportChoice): string[] {
  if (choice.kind !== 'smtp') return [];
  const pass = parseSmtpUrl(choice.url).pass;
  return pass ? [pass, encodeURIComponent(pass)] : [];
}

/** For a dry run: where the command would run from (undefined: not found), without running it. */
export function locateCommand(
  choice: TransportChoice,
  searchPath: string | undefined,
  cwd: string,
): string | undefined {
  if (choice.kind !== 'command') return undefined;
  const [program = ''] = parseCommandLine(choice.commandLine);
  return findExecutable(program, searchPath, cwd);
}

export interface OpenTransportOptions {
  /** SMTP connections, for the SMTP transport. */
  concurrency: number;
  searchPath: string | undefined;
  cwd: string;
}

export function openTransport(choice: TransportChoice, options: OpenTransportOptions): Transport {
  if (choice.kind === 'smtp')
    return createSmtpTransport({ url: choice.url, connections: options.concurrency });
  return createCommandTransport({
    commandLine: choice.commandLine,
    searchPath: options.searchPath,
    cwd: options.cwd,
  });
}

/**
 * What a real run checks of its transport before it sends anything (the relay answers
 * and accepts the login; the command is installed), for a dry run to say the same.
 */
export async function checkTransport(
  choice: TransportChoice,
  options: Omit<OpenTransportOptions, 'concurrency'>,
): Promise<void> {
  const transport = openTransport(choice, { ...options, concurrency: 1 });
  try {
    await transport.verify();
  } finally {
    await transport.close();
  }
}
