import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { redactUrls } from '../db/url.js';
import { UserError } from '../errors.js';
import { ShellWordsError, splitShellWords } from '../shell-words.js';
import type { Delivery, Transport } from './transport.js';

/** sendmail's EX_TEMPFAIL: "try again later". */
export const EX_TEMPFAIL = 75;
const STDERR_KEPT = 2_000;

export interface CommandTransportOptions {
  /** The command line (`SEND_CMD`), split as a shell would; no shell runs. */
  commandLine: string;
  /** `PATH`, to find the program. */
  searchPath: string | undefined;
  cwd: string;
  /** A message whose command runs longer is killed and counted as a transient failure. */
  timeoutMs?: number;
}

/** Where `program` would run from, or undefined when it is not there or not executable. */
export function findExecutable(
  program: string,
  searchPath: string | undefined,
  cwd: string,
): string | undefined {
  const candidates = program.includes('/')
    ? [path.resolve(cwd, program)]
    : (searchPath ?? '')
        .split(path.delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => path.resolve(cwd, dir, program));
  return candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** How messages name a command transport (a URL's password inside it masked). */
export function commandLabel(commandLine: string): string {
  return `command ${redactUrls(commandLine.trim())}`;
}

/** Splits `SEND_CMD`, or says clearly why it cannot be used. */
export function parseCommandLine(commandLine: string): string[] {
  let words: string[];
  try {
    words = splitShellWords(commandLine);
  } catch (error) {
    const reason = error instanceof ShellWordsError ? error.message : String(error);
    throw new UserError(`the send command "${commandLine}" cannot be read: ${reason}`, {
      hint: 'fix --send-cmd or SEND_CMD',
    });
  }
  if (words.length === 0)
    throw new UserError('the send command is empty', {
      hint: 'set --send-cmd or SEND_CMD, e.g. msmtp',
    });
  return words;
}

/**
 * A sendmail-compatible command (msmtp, sendmail, postfix's sendmail…), one process per
 * message: the exact .eml bytes on stdin, the envelope as `-i -f FROM -- TO…` (without
 * the recipients when the command has `-t`). Exit 0 is accepted; a 4xx server reply in
 * msmtp's stderr or exit 75 (EX_TEMPFAIL) is transient; anything else is permanent, with
 * the command's stderr.
 * We spawn it ourselves rather than use nodemailer's sendmail transport, which drops `-f`
 * with custom arguments, does not split the command and loses the program's stderr.
 */
export function createCommandTransport(options: CommandTransportOptions): Transport {
  const [program = '', ...args] = parseCommandLine(options.commandLine);
  const label = commandLabel(options.commandLine);
  const readsRecipients = args.some(isReadRecipients);
  let executable: string | undefined;
  return {
    label,
    verify() {
      executable = findExecutable(program, options.searchPath, options.cwd);
      if (!executable) {
        return Promise.reject(
          new UserError(
            `the send command "${program}" was not found${program.includes('/') ? '' : ' on PATH'}`,
            {
              hint: 'install it (e.g. apt-get install msmtp), or pass --send-cmd / SEND_CMD, or use --smtp URL',
            },
          ),
        );
      }
      return Promise.resolve();
    },
    send(message) {
      // With -t the command reads the recipients from the headers: giving them as
      // arguments too makes msmtp deliver each message twice.
      const recipients = readsRecipients ? [] : ['--', ...message.to];
      const argv = [...args, '-i', '-f', message.from, ...recipients];
      return runOnce(
        executable ?? program,
        path.basename(program),
        argv,
        message.raw,
        options.timeoutMs ?? 120_000,
      );
    },
    close: () => Promise.resolve(),
  };
}

/** `-t`, `--read-recipients`, or a cluster of sendmail's flag letters holding t (`-ti`). */
function isReadRecipients(word: string): boolean {
  return word === '--read-recipients' || /^-[itv]*t[itv]*$/.test(word);
}

/**
 * Whether a failed run is worth retrying. msmtp exits 69 or 65 for a refused message
 * whether the server said 4xx or 5xx; its stderr says which (`server message: 451 …`), so
 * the last server reply decides, and without one the exit status does (75 EX_TEMPFAIL).
 */
export function isTransient(code: number | null, stderr: string): boolean {
  if (code === null) return true;
  const replies = [...stderr.matchAll(/server message: ([245])\d\d\b/g)];
  const last = replies[replies.length - 1]?.[1];
  if (last === '4') return true;
  if (last === '5') return false;
  return code === EX_TEMPFAIL;
}

function runOnce(
  file: string,
  name: string,
  argv: string[],
  input: Buffer,
  timeoutMs: number,
): Promise<Delivery> {
  return new Promise((resolve) => {
    const child = spawn(file, argv, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString('utf8');
    });
    // The command may exit without reading everything (EPIPE): its exit status says why.
    child.stdin.on('error', () => {});
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    timer.unref();
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({
        accepted: false,
        transient: true,
        reason: `${name} could not run: ${error.message}`,
      });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = stderr
        .trim()
        .slice(0, STDERR_KEPT)
        .replace(/\s*\n\s*/g, ' | ');
      if (code === 0) return resolve({ accepted: true, response: `${name} exit 0` });
      const what =
        code === null ? `${name} was killed by ${signal}` : `${name} exited with ${code}`;
      const reason = `${timedOut ? `${name} timed out after ${timeoutMs} ms; ` : ''}${what}${said ? `: ${said}` : ''}`;
      // A killed process may or may not have handed the message over: retrying is the
      // lesser evil, as the relay's own queue would do.
      resolve({ accepted: false, transient: isTransient(code, stderr), reason });
    });
    child.stdin.end(input);
  });
}
